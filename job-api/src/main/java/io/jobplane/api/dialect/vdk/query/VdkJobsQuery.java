package io.jobplane.api.dialect.vdk.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.ListType;
import graphql.language.Node;
import graphql.language.NodeTraverser;
import graphql.language.NodeVisitorStub;
import graphql.language.NonNullType;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.VariableDefinition;
import graphql.parser.Parser;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import graphql.validation.ValidationError;

import io.jobplane.api.dialect.vdk.VdkJobView;
import io.jobplane.api.dialect.vdk.VdkJobView.Deployment;
import io.jobplane.api.dialect.vdk.VdkJobView.Execution;

/**
 * VDK's {@code jobs_query}: a GraphQL query over the team's jobs, answered as VDK's control service
 * answers it. The schema is VDK's ({@code vdk/jobs.graphqls}); the jobs come already read, as
 * {@link VdkJobView}s. A query selects exactly one top-level field, {@code jobs} or {@code executions}
 * (whatever its alias), and its value is the answer's {@code data}: {@code {"data": {"content": […],
 * "totalItems": n, "totalPages": m}}}. Every failure — a syntax or validation error, a refused argument,
 * malformed variables, a query too long, too deep or too complex — is a 400 whose body holds only
 * {@code errors}, each graphql-java's error specification plus {@code errorType}.
 *
 * <p>The schema is built once; an instance is thread-safe and reusable.
 */
public final class VdkJobsQuery {

    /** Longer queries are refused before they are parsed. */
    static final int MAX_QUERY_LENGTH = 10_000;
    /** Deepest selection allowed; VDK's UI query is 5 deep, introspection about 13. */
    static final int MAX_DEPTH = 15;
    /** Most fields (fragments expanded) a query may select. */
    static final int MAX_COMPLEXITY = 500;

    /** The query VDK answers when none is given. */
    static final String DEFAULT_QUERY = "{ jobs(pageNumber: 1, pageSize: 20, filter: []) { content { jobName config "
            + "{ team description schedule { scheduleCron } } } totalPages totalItems } }";

    private static final String SCHEMA = "/vdk/jobs.graphqls";
    private static final Set<String> ROOT_FIELDS = Set.of("jobs", "executions", "__schema", "__type");
    private static final Set<String> EXECUTION_FIELDS = Set.of("executions", "lastExecutionStatus",
            "lastExecutionTime", "lastExecutionDuration", "successfulExecutions", "failedExecutions");
    private static final Pattern INTEGER = Pattern.compile("\\s*-?\\d{1,10}\\s*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GraphQL graphQL;

    /** The answer: the HTTP status (200 or 400) and the body, {@code data} or {@code errors}. */
    public record Result(int status, Map<String, Object> body) {
    }

    /** Builds the executable schema and its limits once. */
    public VdkJobsQuery() {
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .scalar(DateTimeScalar.TYPE)
                .type("Query", type -> type.dataFetcher("jobs", VdkJobsQuery::jobs)
                        .dataFetcher("executions", VdkJobsQuery::executions))
                .type("DataJobDeployment", type -> type.dataFetcher("executions", VdkJobsQuery::deploymentExecutions))
                .build();
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(schemaText()), wiring);
        this.graphQL = GraphQL.newGraphQL(schema)
                .instrumentation(new ChainedInstrumentation(List.of(new MaxQueryDepthInstrumentation(MAX_DEPTH),
                        new MaxQueryComplexityInstrumentation(MAX_COMPLEXITY))))
                .defaultDataFetcherExceptionHandler(new Refusals())
                .build();
    }

    /**
     * Executes the query over the team's jobs; logsUrl etc. come from the views.
     *
     * @param query the GraphQL document; null or blank runs VDK's default query
     * @param variablesJson a JSON object of the variables, or null/blank; numbers given as strings
     *        (VDK's tools send {@code "pageSize": "10"}) are taken as numbers for Int variables
     * @param operationName the operation to run when the document holds several, or null
     * @param jobs the team's jobs; their deployments' executions when the query wants them
     *        ({@link #wantsExecutions})
     */
    public Result execute(String query, String variablesJson, String operationName, List<VdkJobView> jobs) {
        String text = query == null || query.isBlank() ? DEFAULT_QUERY : query;
        try {
            if (text.length() > MAX_QUERY_LENGTH) {
                throw new QueryRefusal("The query is longer than " + MAX_QUERY_LENGTH + " characters");
            }
            Map<String, Object> variables = variables(variablesJson);
            Document document = parse(text);
            OperationDefinition operation = document == null ? null : operation(document, operationName);
            if (operation != null) {
                checkRootField(document, operation);
                takeIntStrings(operation, variables);
            }
            ExecutionResult result = graphQL.execute(ExecutionInput.newExecutionInput(text)
                    .operationName(operationName)
                    .variables(variables)
                    .root(jobs == null ? List.of() : List.copyOf(jobs))
                    .build());
            return answer(result);
        } catch (QueryRefusal e) {
            return refused(error(e.getMessage(), ErrorType.ValidationError));
        } catch (RuntimeException e) {
            return refused(error("The query could not be executed", ErrorType.ExecutionAborted));
        }
    }

    /**
     * True when the query's selection (anywhere) asks for executions or execution summaries of
     * deployments, so the caller knows whether to load them. It also is true when the document may filter on
     * an execution summary: a string literal naming {@code lastExecution…} or a variable of type
     * Predicate (the filter's properties are then known only from the variables). A query that does not
     * parse wants nothing (it fails anyway).
     */
    public static boolean wantsExecutions(String query) {
        Document document = query == null || query.isBlank() || query.length() > MAX_QUERY_LENGTH ? null : parse(query);
        if (document == null) {
            return false;
        }
        AtomicBoolean wants = new AtomicBoolean();
        new NodeTraverser().depthFirst(new NodeVisitorStub() {
            @Override
            public TraversalControl visitField(Field node, TraverserContext<Node> context) {
                return found(EXECUTION_FIELDS.contains(node.getName()));
            }

            @Override
            public TraversalControl visitStringValue(StringValue node, TraverserContext<Node> context) {
                return found(node.getValue().contains("lastExecution"));
            }

            @Override
            public TraversalControl visitVariableDefinition(VariableDefinition node, TraverserContext<Node> context) {
                return found("Predicate".equals(typeName(node.getType())));
            }

            private TraversalControl found(boolean match) {
                if (match) {
                    wants.set(true);
                    return TraversalControl.QUIT;
                }
                return TraversalControl.CONTINUE;
            }
        }, document.getDefinitions());
        return wants.get();
    }

    private static Object jobs(DataFetchingEnvironment env) {
        Paging paging = Paging.of(env.getArgument("pageNumber"), env.getArgument("pageSize"));
        List<VdkJobView> jobs = JobSelection.select(env.getSource(), env.getArgument("filter"), env.getArgument("search"));
        return paging.page(jobs, VdkGraphModel::job);
    }

    private static Object executions(DataFetchingEnvironment env) {
        Paging paging = Paging.of(env.getArgument("pageNumber"), env.getArgument("pageSize"));
        List<VdkJobView> jobs = env.getSource();
        List<Execution> executions = jobs.stream().map(VdkJobView::deployment).filter(Objects::nonNull)
                .map(Deployment::executions).filter(Objects::nonNull).flatMap(List::stream).toList();
        return paging.page(ExecutionSelection.select(executions, env.getArgument("filter"), env.getArgument("order")),
                VdkGraphModel::execution);
    }

    /** A deployment's executions: all of them without page arguments, else the page asked for. */
    private static Object deploymentExecutions(DataFetchingEnvironment env) {
        Map<String, Object> deployment = env.getSource();
        @SuppressWarnings("unchecked")
        List<Execution> executions = (List<Execution>) deployment.get(VdkGraphModel.EXECUTIONS);
        List<Execution> selected = ExecutionSelection.select(executions, env.getArgument("filter"), env.getArgument("order"));
        Integer pageNumber = env.getArgument("pageNumber");
        Integer pageSize = env.getArgument("pageSize");
        List<Execution> page = pageNumber == null && pageSize == null ? selected
                : Paging.of(pageNumber, pageSize).slice(selected);
        return page.stream().map(VdkGraphModel::execution).toList();
    }

    /** 200 with the single top-level field's value as {@code data}, or 400 with the errors. */
    private static Result answer(ExecutionResult result) {
        if (!result.getErrors().isEmpty()) {
            return new Result(400, Map.of("errors", result.getErrors().stream().map(VdkJobsQuery::specification).toList()));
        }
        Map<String, Object> data = result.getData();
        if (data == null || data.size() != 1) {
            throw new QueryRefusal(rootFieldRule());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data.values().iterator().next());
        return new Result(200, body);
    }

    /**
     * graphql-java's specification of the error (message, locations, path, extensions) with
     * {@code errorType}, and for a validation error VDK's {@code validationErrorType} and {@code queryPath}.
     */
    static Map<String, Object> specification(GraphQLError error) {
        Map<String, Object> spec = new LinkedHashMap<>(error.toSpecification());
        ErrorClassification type = error.getErrorType();
        spec.put("errorType", type instanceof Enum<?> e ? e.name() : String.valueOf(type.toSpecification(error)));
        if (error instanceof ValidationError validation) {
            spec.put("validationErrorType", String.valueOf(validation.getValidationErrorType()));
            spec.put("queryPath", validation.getQueryPath());
        }
        return spec;
    }

    private static Result refused(GraphQLError error) {
        return new Result(400, Map.of("errors", List.of(specification(error))));
    }

    private static GraphQLError error(String message, ErrorType type) {
        return GraphqlErrorBuilder.newError().message(message).errorType(type).build();
    }

    private static Map<String, Object> variables(String json) {
        if (json == null || json.isBlank()) {
            return new LinkedHashMap<>();
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new QueryRefusal("The variables are not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isNull()) {
            return new LinkedHashMap<>();
        }
        if (!node.isObject()) {
            throw new QueryRefusal("The variables must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = JSON.convertValue(node, LinkedHashMap.class);
        return variables;
    }

    /** The document, or null when it does not parse (graphql-java then reports the syntax error). */
    private static Document parse(String query) {
        try {
            return Parser.parse(query);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The operation that runs, or null when it is not known (graphql-java then reports why). */
    private static OperationDefinition operation(Document document, String operationName) {
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        if (operationName != null && !operationName.isEmpty()) {
            return operations.stream().filter(o -> operationName.equals(o.getName())).findFirst().orElse(null);
        }
        return operations.size() == 1 ? operations.get(0) : null;
    }

    /** Refuses an operation that does not select exactly one of jobs, executions or an introspection field. */
    private static void checkRootField(Document document, OperationDefinition operation) {
        Map<String, String> fields = new LinkedHashMap<>();
        rootFields(document, operation.getSelectionSet(), fields, new HashSet<>());
        if (fields.size() != 1 || !ROOT_FIELDS.contains(fields.values().iterator().next())) {
            throw new QueryRefusal(rootFieldRule());
        }
    }

    private static String rootFieldRule() {
        return "The query must select exactly one top-level field: jobs or executions";
    }

    /** Collects the top-level fields, response key to field name, through inline fragments and spreads. */
    private static void rootFields(Document document, SelectionSet selections, Map<String, String> fields,
            Set<String> spread) {
        if (selections == null) {
            return;
        }
        for (Selection<?> selection : selections.getSelections()) {
            if (selection instanceof Field field) {
                fields.put(field.getResultKey(), field.getName());
            } else if (selection instanceof InlineFragment inline) {
                rootFields(document, inline.getSelectionSet(), fields, spread);
            } else if (selection instanceof FragmentSpread fragment && spread.add(fragment.getName())) {
                document.getDefinitionsOfType(FragmentDefinition.class).stream()
                        .filter(definition -> definition.getName().equals(fragment.getName()))
                        .forEach(definition -> rootFields(document, definition.getSelectionSet(), fields, spread));
            }
        }
    }

    /** Takes a string holding an integer as that integer for each Int variable of the operation. */
    private static void takeIntStrings(OperationDefinition operation, Map<String, Object> variables) {
        for (VariableDefinition definition : operation.getVariableDefinitions()) {
            Type<?> type = definition.getType() instanceof NonNullType nonNull ? nonNull.getType() : definition.getType();
            if (type instanceof TypeName name && "Int".equals(name.getName())
                    && variables.get(definition.getName()) instanceof String text && INTEGER.matcher(text).matches()) {
                long value = Long.parseLong(text.trim());
                if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                    variables.put(definition.getName(), (int) value);
                }
            }
        }
    }

    /** The named type under list and non-null wrappers. */
    private static String typeName(Type<?> type) {
        if (type instanceof NonNullType nonNull) {
            return typeName(nonNull.getType());
        }
        if (type instanceof ListType list) {
            return typeName(list.getType());
        }
        return ((TypeName) type).getName();
    }

    private static String schemaText() {
        try (InputStream in = VdkJobsQuery.class.getResourceAsStream(SCHEMA)) {
            return new String(Objects.requireNonNull(in, SCHEMA).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Turns a data fetcher's failure into an error of the answer: a refused argument keeps its message,
     * anything else says only that the data could not be fetched (no exception class, no stack trace).
     */
    private static final class Refusals implements DataFetcherExceptionHandler {

        @Override
        public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(
                DataFetcherExceptionHandlerParameters parameters) {
            Throwable failure = parameters.getException() instanceof CompletionException wrapped && wrapped.getCause() != null
                    ? wrapped.getCause() : parameters.getException();
            GraphQLError error = GraphqlErrorBuilder.newError()
                    .message(failure instanceof QueryRefusal ? failure.getMessage() : "The data could not be fetched")
                    .location(parameters.getSourceLocation())
                    .path(parameters.getPath())
                    .errorType(ErrorType.DataFetchingException)
                    .build();
            return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(error).build());
        }
    }
}
