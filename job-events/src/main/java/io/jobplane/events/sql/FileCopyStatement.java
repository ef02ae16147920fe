package io.jobplane.events.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A file-copy task ({@code STORAGE_TO_STORAGE}): {@code COPY 'in/stores-{{FD_DATE}}.csv' TO
 * 'archive/{{FD_DATE}}/'} copies the files {@code from} matches (relative to the source
 * connection's base path; a {@link PathPattern}, templated values and globs allowed) to
 * {@code to} (relative to the destination connection's base path, templated values allowed, no
 * glob). A {@code to} that ends with {@code /} is a directory: each file keeps its name (and, below
 * a {@code **}, the directories it was found in); otherwise it is the copy's name, and
 * {@code from} must name one file. {@code WITH IfExists='REPLACE'} (the default),
 * {@code 'SKIP'} or {@code 'FAIL'} says what happens to a different file already there; an
 * identical one is always left alone.
 */
public record FileCopyStatement(PathPattern from, PathPattern to, IfExists ifExists) {

    public enum IfExists {
        REPLACE, SKIP, FAIL
    }

    public static final Map<String, String> OPTIONS = Map.of("ifexists", "IfExists");

    /** A task that is not a file copy; the message says what is wrong and how to write it. */
    public static final class SyntaxException extends IllegalArgumentException {
        SyntaxException(String message) {
            super(message + ". Write COPY 'in/stores-{{FD_DATE}}.csv' TO 'archive/{{FD_DATE}}/'"
                    + " (a TO that ends with '/' is a directory)");
        }
    }

    public static FileCopyStatement parse(String task) {
        String text = StatementText.trimmed(task);
        int[] at = { 0 };
        if (!StatementText.keyword(text, at, "COPY")) {
            throw new SyntaxException("a file-copy task starts with COPY");
        }
        PathPattern from = path(text, at, "COPY");
        if (!StatementText.keyword(text, at, "TO")) {
            throw new SyntaxException("expected TO 'path' after the source path");
        }
        PathPattern to = path(text, at, "TO");
        IfExists ifExists = IfExists.REPLACE;
        if (StatementText.keyword(text, at, "WITH")) {
            String value = StatementText.options(text, at, OPTIONS, SyntaxException::new).get("ifexists");
            try {
                ifExists = IfExists.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SyntaxException("IfExists='" + value + "' is not known; use REPLACE, SKIP or FAIL");
            }
        }
        String rest = text.substring(at[0]).strip();
        if (!rest.isEmpty()) {
            throw new SyntaxException("unexpected '" + StatementText.abbreviate(rest) + "' after the destination path");
        }
        if (from.isDirectory()) {
            throw new SyntaxException("COPY names files, not a directory: write '" + from.text() + "*' for every file in it");
        }
        if (to.isGlob()) {
            throw new SyntaxException("TO '" + to.text() + "' holds a pattern; TO names where the files go"
                    + " (a directory ending with '/', or one file's name)");
        }
        if (from.isGlob() && !to.isDirectory()) {
            throw new SyntaxException("'" + from.text() + "' may match many files, so TO must be a directory:"
                    + " end it with '/', e.g. TO '" + to.text() + "/'");
        }
        return new FileCopyStatement(from, to, ifExists);
    }

    private static PathPattern path(String text, int[] at, String after) {
        String path = StatementText.quoted(text, at);
        if (path == null) {
            throw new SyntaxException("expected a quoted path after " + after);
        }
        try {
            return PathPattern.parse(path);
        } catch (PathPattern.PathException e) {
            throw new SyntaxException(e.getMessage());
        }
    }

    /** The templated values both paths name. */
    public List<String> names() {
        List<String> names = new ArrayList<>(from.names());
        names.addAll(to.names());
        return names;
    }
}
