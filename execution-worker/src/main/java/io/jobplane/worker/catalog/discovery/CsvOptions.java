package io.jobplane.worker.catalog.discovery;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How CSV files are read: the field {@code separator}, the {@code quote} character (null: fields are
 * never quoted), the {@code escape} character (null: none) and whether the first line is a
 * {@code header} naming the columns.
 */
public record CsvOptions(char separator, Character quote, Character escape, boolean header) {

    /** LakeFormation's quote option. */
    public enum Quote {
        DOUBLE_QUOTE, SINGLE_QUOTE, NULL_QUOTE
    }

    /** Comma-separated, double quotes, no escape, no header. */
    public static final CsvOptions DEFAULTS = new CsvOptions(',', '"', null, false);

    static final String OPEN_CSV_SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde";
    static final String LAZY_SIMPLE_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";

    public CsvOptions {
        if (separator == '\n' || separator == '\r' || quote != null && quote == separator || escape != null && escape == separator) {
            throw new IllegalArgumentException("the CSV separator may not be a line break, the quote or the escape character");
        }
    }

    /**
     * The options of a discovery job: {@code separator} one character, or {@code \t} written as two
     * (default {@code ,}); {@code quote} (default {@code DOUBLE_QUOTE}); {@code escape} one character
     * or absent; {@code header} (default false). A text that is no single character is refused.
     */
    public static CsvOptions of(String separator, Quote quote, String escape, Boolean header) {
        char sep = separator == null || separator.isEmpty() ? ',' : single("separator", separator);
        Character q = switch (quote == null ? Quote.DOUBLE_QUOTE : quote) {
            case DOUBLE_QUOTE -> '"';
            case SINGLE_QUOTE -> '\'';
            case NULL_QUOTE -> null;
        };
        Character esc = escape == null || escape.isEmpty() ? null : single("escape", escape);
        return new CsvOptions(sep, q, esc, Boolean.TRUE.equals(header));
    }

    private static char single(String what, String text) {
        if (text.length() == 1) {
            return text.charAt(0);
        }
        if (text.equals("\\t")) {
            return '\t';
        }
        throw new IllegalArgumentException("the CSV " + what + " '" + text + "' is not one character (write \\t for a tab)");
    }

    /** Quoted fields are read by OpenCSVSerde; unquoted ones by LazySimpleSerDe. */
    String serde() {
        return quote != null ? OPEN_CSV_SERDE : LAZY_SIMPLE_SERDE;
    }

    /** The SerDe's parameters that say how the files are split. */
    Map<String, String> serdeParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (quote != null) {
            parameters.put("separatorChar", String.valueOf(separator));
            parameters.put("quoteChar", String.valueOf(quote));
            if (escape != null) {
                parameters.put("escapeChar", String.valueOf(escape));
            }
        } else {
            parameters.put("field.delim", String.valueOf(separator));
            parameters.put("serialization.format", String.valueOf(separator));
            if (escape != null) {
                parameters.put("escape.delim", String.valueOf(escape));
            }
        }
        return parameters;
    }
}
