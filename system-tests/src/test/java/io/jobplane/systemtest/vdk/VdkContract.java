package io.jobplane.systemtest.vdk;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.RestAssuredRequest;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;

import io.jobplane.vdkclient.invoker.ApiClient;
import io.restassured.filter.Filter;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

/**
 * VMware Versatile Data Kit's control service API as a test contract: a client generated from VDK's own OpenAPI
 * document (package {@code io.jobplane.vdkclient}), and every exchange checked against that document.
 *
 * <p>Every response a test receives through {@link #client} or {@link #filter} is validated: the operation must
 * exist (method and path), the status must be documented for it, the content type must be a documented one, the JSON
 * body must match the schema (types, required fields, exact enum words, date-time formats, no field the schema does
 * not declare, no {@code null} where the schema does not allow it), and documented headers, when present, must match
 * their schema. A response that does not validate fails the test with an {@link AssertionError} carrying the
 * validator's messages.
 *
 * <pre>{@code
 * ApiClient vdk = VdkContract.client("http://localhost:" + port, token);
 * DataJobApiInfo info = new DataJobsServiceApi(vdk).info("team");
 * given().filter(VdkContract.responseFilter()).auth().oauth2(token).contentType("application/octet-stream")
 *         .body(brokenZip).post("/data-jobs/for-team/team/jobs/job/sources").then().statusCode(400);
 * }</pre>
 */
public final class VdkContract {

    /** System property (set by the build from the Maven property of the same name) naming VDK's OpenAPI document. */
    public static final String SPEC_PROPERTY = "jobplane.vdk.spec";

    /** Where the document lies when the property is not set: beside the clone, never inside it. */
    static final String SPEC_BESIDE_CLONE = "../shared/vendor/vdk/datajob-api.yaml";

    /** Validator levels that turn every deviation this contract cares about into an error. */
    static final Map<String, ValidationReport.Level> STRICT_LEVELS = Map.of(
            "validation.schema.additionalProperties", ValidationReport.Level.ERROR,
            "validation.schema.required", ValidationReport.Level.ERROR,
            "validation.schema.enum", ValidationReport.Level.ERROR,
            "validation.response.status.unknown", ValidationReport.Level.ERROR,
            "validation.response.contentType.notAllowed", ValidationReport.Level.ERROR,
            "validation.response.body.missing", ValidationReport.Level.ERROR,
            "validation.response.body.unexpected", ValidationReport.Level.ERROR,
            "validation.request.path.missing", ValidationReport.Level.ERROR,
            "validation.request.operation.notAllowed", ValidationReport.Level.ERROR);

    private static volatile OpenApiInteractionValidator validator;

    private VdkContract() {
    }

    /**
     * VDK's OpenAPI document: the system property {@value #SPEC_PROPERTY} if set, else {@value #SPEC_BESIDE_CLONE}
     * from the project root ({@code jobplane.root}, or the working directory and its parent).
     *
     * @throws IllegalStateException naming the places looked at when the document is not there
     */
    public static Path spec() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty(SPEC_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        } else {
            String root = System.getProperty("jobplane.root");
            if (root != null && !root.isBlank()) {
                candidates.add(Path.of(root).resolve(SPEC_BESIDE_CLONE));
            }
            Path cwd = Path.of("").toAbsolutePath();
            candidates.add(cwd.resolve(SPEC_BESIDE_CLONE));
            if (cwd.getParent() != null) {
                candidates.add(cwd.getParent().resolve(SPEC_BESIDE_CLONE));
            }
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("VDK's OpenAPI document (datajob-api.yaml) was not found; looked at "
                + candidates.stream().map(p -> p.toAbsolutePath().normalize().toString())
                        .collect(Collectors.joining(", "))
                + ". It is kept beside the clone at " + SPEC_BESIDE_CLONE + " (from the project root), or name it with -D"
                + SPEC_PROPERTY + "=…");
    }

    /** The strict validator of {@link #spec()}, built once per test JVM. */
    public static OpenApiInteractionValidator validator() {
        OpenApiInteractionValidator v = validator;
        if (v == null) {
            synchronized (VdkContract.class) {
                v = validator;
                if (v == null) {
                    v = OpenApiInteractionValidator.createFor(openApi())
                            .withLevelResolver(LevelResolver.create().withLevels(STRICT_LEVELS).build())
                            .build();
                    validator = v;
                }
            }
        }
        return v;
    }

    /**
     * The parsed document. Its responses are shared components ({@code $ref: '#/components/responses/Info'}), resolved
     * in place so that the validator finds each operation's documented statuses, content types and schemas.
     */
    static OpenAPI openApi() {
        Path spec = spec();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        var result = new OpenAPIV3Parser().readLocation(spec.toUri().toString(), null, options);
        if (result.getOpenAPI() == null) {
            throw new IllegalStateException("VDK's OpenAPI document " + spec + " could not be read: " + result.getMessages());
        }
        return result.getOpenAPI();
    }

    /**
     * A generated-client {@link ApiClient} for the server at {@code baseUri} (e.g. {@code http://localhost:8081}),
     * sending {@code Authorization: Bearer <bearerToken>} (none if null). Every exchange is validated, the request
     * as well as the response: a request the contract does not allow is a mistake of the test.
     */
    public static ApiClient client(String baseUri, String bearerToken) {
        return client(baseUri, bearerToken, true);
    }

    /**
     * Like {@link #client(String, String)}, but only responses are validated (the operation is still found by method
     * and path): for tests that send, on purpose, what the contract does not allow.
     */
    public static ApiClient clientForInvalidRequests(String baseUri, String bearerToken) {
        return client(baseUri, bearerToken, false);
    }

    private static ApiClient client(String baseUri, String bearerToken, boolean validateRequests) {
        OpenApiInteractionValidator v = validator();
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUri);
        client.setHttpClientBuilder(new ValidatingBuilder(HttpClient.newBuilder(), v, validateRequests));
        client.setRequestInterceptor(request -> {
            if (bearerToken != null) {
                request.setHeader("Authorization", "Bearer " + bearerToken);
            }
            sendFilesAsTheirBytes(request, client);
            sendNoBodyForNull(request);
        });
        return client;
    }

    /**
     * The generated client writes an optional request body the test leaves out (dataJobExecutionStart's
     * DataJobExecutionRequest) as the JSON {@code null}, which VDK's document does not allow; this sends no body.
     */
    private static void sendNoBodyForNull(HttpRequest.Builder request) {
        HttpRequest probe = request.copy().build();
        if (probe.bodyPublisher().isPresent() && probe.bodyPublisher().get().contentLength() == 4
                && "null".equals(new String(readBody(probe.bodyPublisher().get()), StandardCharsets.UTF_8))) {
            request.method(probe.method(), HttpRequest.BodyPublishers.noBody());
        }
    }

    /**
     * The generated {@code native} client writes a {@code File} body (sourcesUpload's zip, sent as
     * application/octet-stream) with Jackson, which makes it the JSON string of the file's path; this sends the
     * file's bytes instead, as VDK's document means.
     */
    private static void sendFilesAsTheirBytes(HttpRequest.Builder request, ApiClient client) {
        HttpRequest probe = request.copy().build();
        boolean octets = probe.headers().firstValue("Content-Type")
                .map(t -> t.toLowerCase(java.util.Locale.ROOT).startsWith("application/octet-stream")).orElse(false);
        if (!octets || probe.bodyPublisher().isEmpty()) {
            return;
        }
        byte[] body = readBody(probe.bodyPublisher().get());
        if (body.length < 2 || body[0] != '"') {
            return;
        }
        try {
            Path file = Path.of(client.getObjectMapper().readValue(body, String.class));
            if (Files.isRegularFile(file)) {
                request.method(probe.method(), HttpRequest.BodyPublishers.ofFile(file));
            }
        } catch (IOException | RuntimeException notAPath) {
            // not a serialized File: sent as the client made it
        }
    }

    /** A REST Assured filter that validates the request and the response of every exchange it sees. */
    public static Filter filter() {
        return exchangeFilter(true);
    }

    /**
     * A REST Assured filter that validates only the response (the operation found by method and path): for requests
     * the contract does not allow on purpose (a malformed zip, an oversized body, an invalid query).
     */
    public static Filter responseFilter() {
        return exchangeFilter(false);
    }

    private static Filter exchangeFilter(boolean validateRequests) {
        OpenApiInteractionValidator v = validator();
        return (requestSpec, responseSpec, ctx) -> {
            io.restassured.response.Response response = ctx.next(requestSpec, responseSpec);
            Request request = RestAssuredRequest.of(requestSpec);
            Response validated = RestAssuredResponse.of(response);
            ValidationReport report = validateRequests ? v.validate(request, validated)
                    : v.validateResponse(request.getPath(), request.getMethod(), validated);
            assertValid(report, request.getMethod() + " " + request.getPath(), response.statusCode());
            return response;
        };
    }

    /** Validates one exchange; the report's messages, empty when it is valid. */
    public static List<String> errors(Request request, Response response, boolean validateRequest) {
        OpenApiInteractionValidator v = validator();
        ValidationReport report = validateRequest ? v.validate(request, response)
                : v.validateResponse(request.getPath(), request.getMethod(), response);
        return errorMessages(report);
    }

    static List<String> errorMessages(ValidationReport report) {
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage()
                        + m.getContext().flatMap(c -> c.getPointers().map(p -> " [" + p.getInstance() + "]"))
                                .orElse(""))
                .collect(Collectors.toList());
    }

    static void assertValid(ValidationReport report, String exchange, int status) {
        List<String> errors = errorMessages(report);
        if (!errors.isEmpty()) {
            throw new AssertionError("VDK contract violated by " + exchange + " -> " + status + ":\n  "
                    + String.join("\n  ", errors));
        }
    }

    // ---- the generated client's HttpClient: buffers each response, validates it, then hands it on ----

    /** Builds a {@link ValidatingHttpClient} around what the delegate builder builds. */
    private static final class ValidatingBuilder implements HttpClient.Builder {
        private final HttpClient.Builder delegate;
        private final OpenApiInteractionValidator validator;
        private final boolean validateRequests;

        ValidatingBuilder(HttpClient.Builder delegate, OpenApiInteractionValidator validator, boolean validateRequests) {
            this.delegate = delegate;
            this.validator = validator;
            this.validateRequests = validateRequests;
        }

        @Override public HttpClient.Builder cookieHandler(CookieHandler h) { delegate.cookieHandler(h); return this; }
        @Override public HttpClient.Builder connectTimeout(Duration d) { delegate.connectTimeout(d); return this; }
        @Override public HttpClient.Builder sslContext(SSLContext c) { delegate.sslContext(c); return this; }
        @Override public HttpClient.Builder sslParameters(SSLParameters p) { delegate.sslParameters(p); return this; }
        @Override public HttpClient.Builder executor(Executor e) { delegate.executor(e); return this; }
        @Override public HttpClient.Builder followRedirects(HttpClient.Redirect r) { delegate.followRedirects(r); return this; }
        @Override public HttpClient.Builder version(HttpClient.Version v) { delegate.version(v); return this; }
        @Override public HttpClient.Builder priority(int p) { delegate.priority(p); return this; }
        @Override public HttpClient.Builder proxy(ProxySelector p) { delegate.proxy(p); return this; }
        @Override public HttpClient.Builder authenticator(Authenticator a) { delegate.authenticator(a); return this; }

        @Override
        public HttpClient build() {
            return new ValidatingHttpClient(delegate.build(), validator, validateRequests);
        }
    }

    /**
     * Sends through the delegate, reading the whole response body; validates request and response against the
     * contract (an {@link AssertionError} if they do not validate), then gives the caller's body handler the same
     * bytes.
     */
    static final class ValidatingHttpClient extends HttpClient {
        private final HttpClient delegate;
        private final OpenApiInteractionValidator validator;
        private final boolean validateRequests;

        ValidatingHttpClient(HttpClient delegate, OpenApiInteractionValidator validator, boolean validateRequests) {
            this.delegate = delegate;
            this.validator = validator;
            this.validateRequests = validateRequests;
        }

        @Override public Optional<CookieHandler> cookieHandler() { return delegate.cookieHandler(); }
        @Override public Optional<Duration> connectTimeout() { return delegate.connectTimeout(); }
        @Override public Redirect followRedirects() { return delegate.followRedirects(); }
        @Override public Optional<ProxySelector> proxy() { return delegate.proxy(); }
        @Override public SSLContext sslContext() { return delegate.sslContext(); }
        @Override public SSLParameters sslParameters() { return delegate.sslParameters(); }
        @Override public Optional<Authenticator> authenticator() { return delegate.authenticator(); }
        @Override public Version version() { return delegate.version(); }
        @Override public Optional<Executor> executor() { return delegate.executor(); }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            HttpResponse<byte[]> buffered = delegate.send(request, HttpResponse.BodyHandlers.ofByteArray());
            validate(request, buffered);
            return handOn(buffered, handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler) {
            return delegate.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(buffered -> {
                validate(request, buffered);
                try {
                    return handOn(buffered, handler);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
            return sendAsync(request, handler);
        }

        private void validate(HttpRequest request, HttpResponse<byte[]> response) {
            Request req = toValidatorRequest(request);
            SimpleResponse.Builder res = SimpleResponse.Builder.status(response.statusCode());
            response.headers().map().forEach(res::withHeader);
            if (response.body() != null && response.body().length > 0) {
                res.withBody(response.body());
            }
            ValidationReport report = validateRequests ? validator.validate(req, res.build())
                    : validator.validateResponse(req.getPath(), req.getMethod(), res.build());
            String exchange = request.method() + " " + request.uri().getRawPath()
                    + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery());
            assertValid(report, exchange, response.statusCode());
        }

        private static <T> HttpResponse<T> handOn(HttpResponse<byte[]> buffered, HttpResponse.BodyHandler<T> handler)
                throws IOException {
            HttpResponse.ResponseInfo info = new HttpResponse.ResponseInfo() {
                @Override public int statusCode() { return buffered.statusCode(); }
                @Override public HttpHeaders headers() { return buffered.headers(); }
                @Override public Version version() { return buffered.version(); }
            };
            HttpResponse.BodySubscriber<T> subscriber = handler.apply(info);
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override public void request(long n) { }
                @Override public void cancel() { }
            });
            byte[] bytes = buffered.body() == null ? new byte[0] : buffered.body();
            if (bytes.length > 0) {
                subscriber.onNext(List.of(ByteBuffer.wrap(bytes)));
            }
            subscriber.onComplete();
            T body;
            try {
                body = subscriber.getBody().toCompletableFuture().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            }
            return new BufferedResponse<>(buffered, body);
        }
    }

    /** The validator's view of a request the generated client sends: method, path, query, headers and body. */
    static Request toValidatorRequest(HttpRequest request) {
        URI uri = request.uri();
        SimpleRequest.Builder builder = new SimpleRequest.Builder(request.method(), uri.getRawPath());
        queryParameters(uri.getRawQuery()).forEach(builder::withQueryParam);
        request.headers().map().forEach(builder::withHeader);
        request.bodyPublisher().ifPresent(publisher -> {
            byte[] body = readBody(publisher);
            if (body.length > 0) {
                builder.withBody(body);
            }
        });
        return builder.build();
    }

    private static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /** Reads a request body publisher (the generated client's are byte arrays, strings or files: re-readable). */
    private static byte[] readBody(HttpRequest.BodyPublisher publisher) {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
            private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

            @Override public void onSubscribe(Flow.Subscription s) { s.request(Long.MAX_VALUE); }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.writeBytes(chunk);
            }

            @Override public void onError(Throwable t) { done.completeExceptionally(t); }
            @Override public void onComplete() { done.complete(out.toByteArray()); }
        });
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read the request body to validate it", e.getCause());
        }
    }

    /** A buffered response with the body the caller's handler made of its bytes. */
    private record BufferedResponse<T>(HttpResponse<byte[]> buffered, T body) implements HttpResponse<T> {
        @Override public int statusCode() { return buffered.statusCode(); }
        @Override public HttpRequest request() { return buffered.request(); }
        @Override public Optional<HttpResponse<T>> previousResponse() { return Optional.empty(); }
        @Override public HttpHeaders headers() { return buffered.headers(); }
        @Override public Optional<SSLSession> sslSession() { return buffered.sslSession(); }
        @Override public URI uri() { return buffered.uri(); }
        @Override public HttpClient.Version version() { return buffered.version(); }
    }
}
