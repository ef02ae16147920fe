package io.jobplane.events.sql;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jobplane.events.sql.ReplicateStatement.TableName;

/**
 * A folder-load task ({@code LOAD_FOLDER}), in the spirit of CData's {@code REPLICATE}:
 * {@code REPLICATE [orders] FROM 'incoming/orders-*.csv' WITH Format='CSV', Header='true'} loads
 * every file the {@link PathPattern} matches (relative to the source connection's base path) into
 * the destination table {@code orders}. Options: {@code Format} ({@code CSV}, {@code JSONL},
 * {@code PARQUET}; by default from the pattern's extension {@code .csv}, {@code .tsv} (tab
 * separated), {@code .jsonl}/{@code .ndjson}, {@code .parquet}), and for CSV {@code Header}
 * ({@code true}: the first record names the columns), {@code Separator} (one character, or
 * {@code TAB}), {@code Quote}, {@code Escape} (none by default: a quote inside a quoted value is
 * doubled) and {@code NullValue} (the text that stands for NULL; by default an empty field).
 */
public record FolderLoadStatement(TableName target, PathPattern from, Format format, boolean header, char separator,
        char quote, Character escape, String nullValue) {

    public enum Format {
        CSV, JSONL, PARQUET
    }

    /** Options a task may set in its {@code WITH} clause, by lower-case name. */
    public static final Map<String, String> OPTIONS = Map.of("format", "Format", "header", "Header", "separator", "Separator",
            "quote", "Quote", "escape", "Escape", "nullvalue", "NullValue");
    private static final List<String> CSV_ONLY = List.of("header", "separator", "quote", "escape", "nullvalue");
    private static final Pattern EXTENSION = Pattern.compile("(?i).*\\.(csv|tsv|jsonl|ndjson|parquet)");

    /** A task that is not a folder load; the message says what is wrong and how to write it. */
    public static final class SyntaxException extends IllegalArgumentException {
        SyntaxException(String message) {
            super(message + ". Write REPLICATE [Table] FROM 'folder/files-*.csv' WITH Format='CSV', Header='true'"
                    + " (Format CSV, JSONL or PARQUET)");
        }
    }

    public static FolderLoadStatement parse(String task) {
        String text = StatementText.trimmed(task);
        int[] at = { 0 };
        if (!StatementText.keyword(text, at, "REPLICATE")) {
            throw new SyntaxException("a folder-load task starts with REPLICATE");
        }
        TableName target = ReplicateStatement.name(text, at, SyntaxException::new);
        if (!StatementText.keyword(text, at, "FROM")) {
            throw new SyntaxException("expected FROM 'path' after the table name");
        }
        String path = StatementText.quoted(text, at);
        if (path == null) {
            throw new SyntaxException("expected a quoted path after FROM, e.g. FROM 'incoming/*.csv'");
        }
        PathPattern from;
        try {
            from = PathPattern.parse(path);
        } catch (PathPattern.PathException e) {
            throw new SyntaxException(e.getMessage());
        }
        if (from.isDirectory()) {
            throw new SyntaxException("FROM names files, not a directory: write '" + path + "*' for every file in it");
        }
        Map<String, String> options = Map.of();
        if (StatementText.keyword(text, at, "WITH")) {
            options = StatementText.options(text, at, OPTIONS, SyntaxException::new);
        }
        String rest = text.substring(at[0]).strip();
        if (!rest.isEmpty()) {
            throw new SyntaxException("unexpected '" + StatementText.abbreviate(rest) + "' after the path"
                    + (options.isEmpty() ? " (options go after WITH)" : ""));
        }
        Format format = format(options.get("format"), path);
        if (format != Format.CSV) {
            for (String key : CSV_ONLY) {
                if (options.containsKey(key)) {
                    throw new SyntaxException(OPTIONS.get(key) + " applies to CSV files only, and these are " + format);
                }
            }
        }
        boolean tsv = options.get("format") == null && path.toLowerCase(Locale.ROOT).endsWith(".tsv");
        boolean header = bool("Header", options.getOrDefault("header", "true"));
        char separator = character("Separator", options.getOrDefault("separator", tsv ? "\t" : ","));
        char quote = character("Quote", options.getOrDefault("quote", "\""));
        String escapeText = options.get("escape");
        Character escape = escapeText == null || escapeText.isEmpty() ? null : character("Escape", escapeText);
        if (separator == quote) {
            throw new SyntaxException("Separator and Quote are both '" + separator + "'; they must differ");
        }
        return new FolderLoadStatement(target, from, format, header, separator, quote, escape,
                options.getOrDefault("nullvalue", ""));
    }

    private static Format format(String value, String path) {
        if (value == null) {
            Matcher m = EXTENSION.matcher(path);
            if (!m.matches()) {
                throw new SyntaxException("the format of '" + path + "' cannot be told from its extension; add WITH Format='CSV'"
                        + " (or JSONL, PARQUET)");
            }
            value = m.group(1).equalsIgnoreCase("tsv") ? "CSV" : m.group(1);
        }
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "CSV" -> Format.CSV;
            case "JSONL", "NDJSON", "JSON" -> Format.JSONL;
            case "PARQUET" -> Format.PARQUET;
            default -> throw new SyntaxException("Format '" + value + "' is not known; use CSV, JSONL or PARQUET");
        };
    }

    private static boolean bool(String name, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new SyntaxException(name + "='" + value + "' is neither 'true' nor 'false'");
        };
    }

    private static char character(String name, String value) {
        if (value.equalsIgnoreCase("TAB") || value.equals("\\t")) {
            return '\t';
        }
        if (value.length() != 1 || value.charAt(0) == '\n' || value.charAt(0) == '\r') {
            throw new SyntaxException(name + "='" + value + "' must be one character (or TAB)");
        }
        return value.charAt(0);
    }

    /** The templated values the path names. */
    public List<String> names() {
        return from.names();
    }
}
