package io.jobplane.stack.cli.user;

import java.util.ArrayList;
import java.util.List;

/** Rows under headers in aligned columns, two spaces apart; an empty or null cell shows as {@code -}. */
public final class Table {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            String s = c == null ? "" : c.toString().replaceAll("\\s+", " ").strip();
            row.add(s.isEmpty() ? "-" : s);
        }
        rows.add(row);
        return this;
    }

    /** The table as text, one line per row after the header line; the last column is not padded. */
    public String render() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, headers, widths);
        rows.forEach(r -> line(b, r, widths));
        return b.toString();
    }

    private static void line(StringBuilder b, List<String> cells, int[] widths) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            l.append(cells.get(i));
            if (i < cells.size() - 1) {
                l.append(" ".repeat(widths[i] - cells.get(i).length() + 2));
            }
        }
        b.append(l.toString().stripTrailing()).append(System.lineSeparator());
    }

    /** At most {@code max} characters of the first line of {@code text}, with {@code …} when cut. */
    public static String cut(String text, int max) {
        if (text == null) {
            return null;
        }
        String first = text.strip().lines().findFirst().orElse("");
        boolean more = first.length() > max || text.strip().lines().count() > 1;
        return more ? first.substring(0, Math.min(first.length(), max - 1)) + "…" : first;
    }
}
