package io.jobplane.events.sql;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A replication task in CData's syntax: {@code REPLICATE [Accounts]} copies the source table
 * {@code Accounts} to a destination table of the same name; {@code REPLICATE [dest] SELECT … FROM
 * [src] [WHERE …]} copies what the query returns into {@code dest}. Names may be qualified
 * ({@code [sales].[Accounts]}) and written in brackets or bare. Options follow the table in a
 * {@code WITH} clause: {@code REPLICATE [Accounts] WITH CheckColumn='updated_at'} replicates
 * incrementally by that column. In the query, {@code [name]} is a quoted identifier; a bracket that
 * follows a name, a closing bracket or parenthesis is an array subscript ({@code tags[1]}).
 * <p>
 * The same grammar serves job types whose tasks take other options ({@link Variant}): a reverse
 * ETL task ({@link ReverseEtlStatement}) is read by it too, with its own options. {@code options}
 * holds every option given, by lower-case name.
 */
public record ReplicateStatement(TableName target, String select, TableName source, String checkColumn,
        Map<String, String> options) {

    /** Options a task may set in its {@code WITH} clause, by lower-case name. */
    public static final Map<String, String> OPTIONS = Map.of("checkcolumn", "CheckColumn");

    /**
     * What one job type's tasks may say: what such a task is called in messages, the options it
     * knows (lower-case name → how it is written), how to write it (appended to every syntax
     * error), and why it takes no {@code {{placeholders}}}.
     */
    public record Variant(String task, Map<String, String> options, String howToWrite, String noPlaceholders) {
    }

    /** Replication tasks ({@code STANDARD}, {@code SYNC_ALL}). */
    public static final Variant REPLICATION = new Variant("replication task", OPTIONS,
            "Write REPLICATE [Table], REPLICATE [Table] WITH CheckColumn='updated_at', or "
                    + "REPLICATE [Destination] SELECT … FROM [Source] WHERE …",
            "replication tasks take no {{placeholders}} (the query is streamed with COPY, which binds no values); "
                    + "filter incremental runs with CheckColumn instead");

    private static final Pattern KEYWORD = Pattern.compile("(?is)\\s*REPLICATE\\b\\s*");
    private static final Pattern WITH = Pattern.compile("(?is)\\s*WITH\\b\\s*");
    private static final Pattern SELECT = Pattern.compile("(?is)\\s*(SELECT|WITH)\\b.*");
    private static final Pattern BARE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private static final Pattern FROM = Pattern.compile(
            "(?i)\\bFROM\\s+(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)(?:\\s*\\.\\s*(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*))?");

    /** A table name, its schema null when not given. */
    public record TableName(String schema, String name) {
        @Override
        public String toString() {
            return schema == null ? name : schema + "." + name;
        }
    }

    /** A task that is not a replication statement; the message says what is wrong and how to write it. */
    public static final class SyntaxException extends IllegalArgumentException {
        SyntaxException(String message, Variant variant) {
            super(message + ". " + variant.howToWrite());
        }
    }

    /** True when the query is in the query form ({@code REPLICATE [dest] SELECT …}). */
    public boolean isQueryForm() {
        return select != null;
    }

    /** Reads a replication task ({@link #REPLICATION}). */
    public static ReplicateStatement parse(String task) {
        return parse(task, REPLICATION);
    }

    /** Reads a task in this grammar taking the variant's options; errors say how to write it. */
    public static ReplicateStatement parse(String task, Variant variant) {
        String text = StatementText.trimmed(task);
        Matcher keyword = KEYWORD.matcher(text);
        if (!keyword.lookingAt()) {
            throw new SyntaxException("a " + variant.task() + " starts with REPLICATE", variant);
        }
        if (text.contains("{{")) {
            throw new SyntaxException(variant.noPlaceholders(), variant);
        }
        int[] at = { keyword.end() };
        Function<String, SyntaxException> error = message -> new SyntaxException(message, variant);
        TableName target = name(text, at, error);
        String checkColumn = null;
        Map<String, String> options = new TreeMap<>();
        Matcher with = WITH.matcher(text).region(at[0], text.length());
        if (with.lookingAt() && isOption(text, with.end())) {
            at[0] = with.end();
            options.putAll(StatementText.options(text, at, variant.options(), error));
            checkColumn = options.get("checkcolumn");
            if (checkColumn != null && checkColumn.isBlank()) {
                throw new SyntaxException("CheckColumn names no column", variant);
            }
        }
        Map<String, String> given = Collections.unmodifiableMap(options);
        String rest = text.substring(at[0]).strip();
        if (rest.isEmpty()) {
            return new ReplicateStatement(target, null, target, checkColumn, given);
        }
        if (!SELECT.matcher(rest).matches()) {
            throw new SyntaxException("expected SELECT after the table name, found '" + StatementText.abbreviate(rest) + "'", variant);
        }
        String select = quoteBrackets(rest, variant);
        return new ReplicateStatement(target, select, firstFrom(select), checkColumn, given);
    }

    /** Whether {@code WITH} at this point starts an option list rather than a common table expression. */
    private static boolean isOption(String text, int from) {
        return StatementText.OPTION.matcher(text).region(from, text.length()).lookingAt();
    }

    /** A table name at {@code at[0]}, bracketed or bare, maybe qualified; {@code at[0]} moves past it. */
    static TableName name(String text, int[] at, Function<String, ? extends RuntimeException> error) {
        String first = identifier(text, at, error);
        int i = skipSpaces(text, at[0]);
        if (i < text.length() && text.charAt(i) == '.') {
            at[0] = skipSpaces(text, i + 1);
            return new TableName(first, identifier(text, at, error));
        }
        return new TableName(null, first);
    }

    private static String identifier(String text, int[] at, Function<String, ? extends RuntimeException> error) {
        int i = skipSpaces(text, at[0]);
        if (i < text.length() && text.charAt(i) == '[') {
            int close = text.indexOf(']', i + 1);
            if (close < 0) {
                throw error.apply("a '[' at position " + (i + 1) + " is never closed");
            }
            String name = text.substring(i + 1, close);
            if (name.isBlank()) {
                throw error.apply("empty table name at position " + (i + 1));
            }
            at[0] = close + 1;
            return name;
        }
        Matcher bare = BARE.matcher(text).region(i, text.length());
        if (!bare.lookingAt()) {
            throw error.apply("expected a table name at position " + (i + 1));
        }
        at[0] = bare.end();
        return bare.group();
    }

    static int skipSpaces(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * The query with {@code [name]} written as the quoted identifier {@code "name"}; string
     * literals, quoted identifiers and array subscripts stay as they are.
     */
    private static String quoteBrackets(String query, Variant variant) {
        StringBuilder out = new StringBuilder(query.length());
        int n = query.length();
        for (int i = 0; i < n; i++) {
            char c = query.charAt(i);
            if (c == '\'' || c == '"') {
                int end = i + 1;
                while (end < n) {
                    if (query.charAt(end) == c) {
                        if (end + 1 < n && query.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                out.append(query, i, Math.min(end + 1, n));
                i = end;
            } else if (c == '[' && !subscript(out)) {
                int close = query.indexOf(']', i + 1);
                if (close < 0) {
                    throw new SyntaxException("a '[' at position " + (i + 1) + " of the query is never closed", variant);
                }
                out.append('"').append(query.substring(i + 1, close).replace("\"", "\"\"")).append('"');
                i = close;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A bracket right after a name, a closing bracket/parenthesis or a quote subscripts an array. */
    private static boolean subscript(CharSequence before) {
        if (before.length() == 0) {
            return false;
        }
        char p = before.charAt(before.length() - 1);
        return Character.isLetterOrDigit(p) || p == '_' || p == ']' || p == ')' || p == '"' || p == '$';
    }

    private static TableName firstFrom(String select) {
        Matcher from = FROM.matcher(select);
        if (!from.find()) {
            return null;
        }
        String a = unquote(from.group(1));
        return from.group(2) == null ? new TableName(null, a) : new TableName(a, unquote(from.group(2)));
    }

    private static String unquote(String identifier) {
        return identifier.startsWith("\"") ? identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"") : identifier;
    }
}
