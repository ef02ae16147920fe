package io.jobplane.events.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path in a file task, relative to a {@code filesystem} connection's base path, with segments
 * separated by {@code /}. It may hold templated values ({@code {{FD_DATE}}}, {@code {{execution_date}}},
 * {@code {{FD_TIME}}}, launch parameters; see {@link SqlTemplate#values}) and glob patterns:
 * {@code *} and {@code ?} within a name, {@code [abc]}/{@code [!abc]} a character, {@code {csv,tsv}}
 * one of several, and {@code **} as a whole segment for any number of directories. A path never
 * leaves the base path: absolute paths and {@code ..} are refused, and so is a templated value that
 * holds a {@code /} or {@code \} or makes a segment {@code .} or {@code ..}; a value is always taken
 * literally, never as a pattern. A path that ends with {@code /} names a directory.
 */
public final class PathPattern {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    /** A path that cannot be used; the message says what is wrong and how to write it. */
    public static final class PathException extends IllegalArgumentException {
        PathException(String message) {
            super(message);
        }
    }

    private sealed interface Part permits Literal, Value, Glob {
    }

    private record Literal(String text) implements Part {
    }

    private record Value(String name) implements Part {
    }

    private record Glob(String regex) implements Part {
    }

    /** One segment: its parts, and whether it is {@code **}. */
    private record Segment(List<Part> parts, boolean anyDepth) {
        boolean isGlob() {
            return anyDepth || parts.stream().anyMatch(p -> p instanceof Glob);
        }
    }

    /**
     * The path with its values filled in. {@code directory} is the leading part that holds no
     * pattern ({@code ""}: the base path itself); {@code literal} the whole path when it holds no
     * pattern, else null; then {@code matcher} matches paths relative to {@code directory} (with
     * {@code /}), at most {@code depth} segments deep.
     */
    public record Resolved(String shown, String directory, String literal, Pattern matcher, int depth) {
        public boolean isGlob() {
            return literal == null;
        }
    }

    private final String text;
    private final List<Segment> segments;
    private final boolean directory;
    private final List<String> names;

    private PathPattern(String text, List<Segment> segments, boolean directory, List<String> names) {
        this.text = text;
        this.segments = segments;
        this.directory = directory;
        this.names = names;
    }

    public static PathPattern parse(String text) {
        if (text == null || text.isBlank()) {
            throw new PathException("the path is empty; write it relative to the connection's base_path, e.g. 'incoming/orders.csv'");
        }
        if (text.startsWith("/") || text.startsWith("~") || text.matches("(?s)[A-Za-z]:.*")) {
            throw new PathException("'" + text + "' is absolute; paths are relative to the connection's base_path"
                    + " (write 'incoming/orders.csv', not '/data/incoming/orders.csv')");
        }
        if (text.indexOf('\\') >= 0 || text.indexOf('\0') >= 0) {
            throw new PathException("'" + text + "' holds a backslash or NUL; separate directories with '/'");
        }
        boolean directory = text.endsWith("/");
        String[] raw = (directory ? text.substring(0, text.length() - 1) : text).split("/", -1);
        List<Segment> segments = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String s : raw) {
            if (s.isEmpty() && !(raw.length == 1 && directory)) {
                throw new PathException("'" + text + "' has an empty segment ('//'); write each directory once");
            }
            if (s.equals(".") || s.isEmpty()) {
                continue;
            }
            if (s.equals("..")) {
                throw new PathException("'" + text + "' uses '..', which would leave the connection's base_path;"
                        + " write the path from the base path down");
            }
            if (s.equals("**")) {
                segments.add(new Segment(List.of(), true));
                continue;
            }
            segments.add(new Segment(parts(text, s, names), false));
        }
        if (segments.isEmpty() && !directory) {
            throw new PathException("'" + text + "' names no file");
        }
        if (!segments.isEmpty() && segments.get(segments.size() - 1).anyDepth()) {
            throw new PathException("'" + text + "' ends with '**'; name the files below it, e.g. '" + text + "/*.csv'");
        }
        return new PathPattern(text, List.copyOf(segments), directory, List.copyOf(names));
    }

    private static List<Part> parts(String text, String segment, List<String> names) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        int n = segment.length();
        while (i < n) {
            char c = segment.charAt(i);
            if (c == '{' && segment.startsWith("{{", i)) {
                Matcher m = PLACEHOLDER.matcher(segment).region(i, n);
                if (!m.lookingAt()) {
                    throw new PathException("'{{' in '" + text + "' does not start a placeholder such as {{FD_DATE}}");
                }
                flush(parts, literal);
                parts.add(new Value(m.group(1)));
                names.add(m.group(1));
                i = m.end();
                continue;
            }
            switch (c) {
                case '*' -> {
                    if (segment.startsWith("**", i)) {
                        throw new PathException("'**' in '" + text + "' must be a whole segment, as in 'in/**/*.csv'");
                    }
                    flush(parts, literal);
                    parts.add(new Glob("[^/]*"));
                    i++;
                }
                case '?' -> {
                    flush(parts, literal);
                    parts.add(new Glob("[^/]"));
                    i++;
                }
                case '[' -> {
                    int close = segment.indexOf(']', i + 2);
                    if (close < 0) {
                        throw new PathException("a '[' in '" + text + "' is never closed; write [abc] for one of a, b, c");
                    }
                    String body = segment.substring(i + 1, close);
                    boolean negated = body.startsWith("!") || body.startsWith("^");
                    String chars = (negated ? body.substring(1) : body).replace("\\", "\\\\").replace("[", "\\[")
                            .replace("&&", "\\&\\&");
                    flush(parts, literal);
                    parts.add(new Glob(negated ? "[^/" + chars + "]" : "[" + chars + "]"));
                    i = close + 1;
                }
                case '{' -> {
                    int close = segment.indexOf('}', i + 1);
                    if (close < 0 || segment.substring(i + 1, close).contains("{")) {
                        throw new PathException("a '{' in '" + text + "' is never closed; write {csv,tsv} for one of several"
                                + " or {{name}} for a templated value");
                    }
                    List<String> choices = new ArrayList<>();
                    for (String choice : segment.substring(i + 1, close).split(",", -1)) {
                        if (choice.matches(".*[*?\\[\\]].*")) {
                            throw new PathException("the choices in '{…}' of '" + text + "' are plain text, without * ? [ ]");
                        }
                        choices.add(Pattern.quote(choice));
                    }
                    flush(parts, literal);
                    parts.add(new Glob("(?:" + String.join("|", choices) + ")"));
                    i = close + 1;
                }
                case ']', '}' -> throw new PathException("a '" + c + "' in '" + text + "' closes nothing");
                default -> {
                    literal.append(c);
                    i++;
                }
            }
        }
        flush(parts, literal);
        return List.copyOf(parts);
    }

    private static void flush(List<Part> parts, StringBuilder literal) {
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    public String text() {
        return text;
    }

    /** The templated values the path names, in order (repeats included). */
    public List<String> names() {
        return names;
    }

    /** Whether the path holds a pattern (it may name many files). */
    public boolean isGlob() {
        return segments.stream().anyMatch(Segment::isGlob);
    }

    /** Whether the path ends with {@code /}. */
    public boolean isDirectory() {
        return directory;
    }

    /** The path with the values filled in; a missing or unsafe value is refused. */
    public Resolved resolve(Map<String, ?> values) {
        List<String> literalSegments = new ArrayList<>();
        int firstGlob = -1;
        StringBuilder regex = new StringBuilder();
        String shown = PLACEHOLDER.matcher(text).replaceAll(m -> Matcher.quoteReplacement(value(m.group(1), values)));
        int depth = 0;
        for (int s = 0; s < segments.size(); s++) {
            Segment segment = segments.get(s);
            StringBuilder literal = new StringBuilder();
            StringBuilder segmentRegex = new StringBuilder();
            for (Part part : segment.parts()) {
                if (part instanceof Literal l) {
                    literal.append(l.text());
                    segmentRegex.append(Pattern.quote(l.text()));
                } else if (part instanceof Value v) {
                    String value = value(v.name(), values);
                    literal.append(value);
                    segmentRegex.append(Pattern.quote(value));
                } else if (part instanceof Glob g) {
                    segmentRegex.append(g.regex());
                }
            }
            if (!segment.isGlob() && (literal.toString().equals("..") || literal.toString().equals(".") || literal.isEmpty())) {
                throw new PathException("the templated values make '" + text + "' into '" + shown
                        + "', whose segment '" + literal + "' is not a file or directory name");
            }
            if (firstGlob < 0 && segment.isGlob()) {
                firstGlob = s;
            }
            if (firstGlob < 0) {
                literalSegments.add(literal.toString());
                continue;
            }
            if (segment.anyDepth()) {
                regex.append("(?:[^/]+/)*");
                depth = Integer.MAX_VALUE;
            } else {
                regex.append(segmentRegex);
                if (s < segments.size() - 1) {
                    regex.append('/');
                }
                depth = depth == Integer.MAX_VALUE ? depth : depth + 1;
            }
        }
        String all = String.join("/", literalSegments);
        if (firstGlob < 0) {
            String dir = literalSegments.size() <= 1 ? "" : String.join("/", literalSegments.subList(0, literalSegments.size() - 1));
            return new Resolved(shown, directory ? all : dir, all, null, 0);
        }
        return new Resolved(shown, all, null, Pattern.compile(regex.toString()), depth);
    }

    private String value(String name, Map<String, ?> values) {
        if (values == null || !values.containsKey(name)) {
            throw new PathException("{{" + name + "}} in '" + text + "' names no value; known: "
                    + (values == null ? "[]" : new TreeSet<>(values.keySet()))
                    + " (launch the run with \"parameters\": {\"" + name + "\": \"…\"} to give it one)");
        }
        Object raw = values.get(name);
        String value = raw == null ? "" : raw instanceof java.time.OffsetDateTime t
                ? t.format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME) : raw.toString();
        if (value.indexOf('/') >= 0 || value.indexOf('\\') >= 0 || value.indexOf('\0') >= 0) {
            throw new PathException("{{" + name + "}} is '" + value + "', which holds a '/', '\\' or NUL and so cannot go into"
                    + " the path '" + text + "'; a templated value is one part of a file or directory name");
        }
        return value;
    }

    @Override
    public String toString() {
        return text;
    }
}
