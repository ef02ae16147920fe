package io.jobplane.worker.catalog.discovery;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import io.jobplane.events.payload.catalog.CatalogTypes;

/**
 * The types of values written as text: partition values in folder names and CSV fields. A value
 * gets a type only when that type's own text of it is the value itself, so it round-trips: {@code 7}
 * is an {@code int}, {@code 07} a {@code string}. Types of one column or key widen by
 * {@link CatalogTypes#wider}; those that meet only as string make it a {@code string}.
 */
final class TextValues {

    /** Hive's folder name of a partition whose value is null. */
    static final String HIVE_DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?");
    /** A decimal number as CSV writers print it: no leading zeros but a single one before the point. */
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9]\\d*)?\\.\\d+|-?(0|[1-9]\\d*)\\.|-?(0|[1-9]\\d*)(\\.\\d*)?[eE][-+]?\\d{1,3}");

    private TextValues() {
    }

    /**
     * A partition value's type: {@code void} for {@code __HIVE_DEFAULT_PARTITION__} (null),
     * {@code int}/{@code bigint} for integers in their canonical text, {@code double} for numbers
     * whose shortest text is the value ({@code 1.5}, not {@code 1.50}), {@code date} for ISO dates,
     * {@code boolean} for {@code true}/{@code false}, {@code string} for everything else.
     */
    static CatalogTypes.Type partitionValue(String value) {
        if (value.equals(HIVE_DEFAULT_PARTITION)) {
            return TypeBudget.VOID;
        }
        if (value.equals("true") || value.equals("false")) {
            return TypeBudget.BOOLEAN;
        }
        CatalogTypes.Type integer = integer(value);
        if (integer != null) {
            return integer;
        }
        if (value.length() <= 32 && !value.isEmpty() && (Character.isDigit(value.charAt(0)) || value.charAt(0) == '-')) {
            try {
                double d = Double.parseDouble(value);
                if (Double.isFinite(d) && Double.toString(d).equals(value)) {
                    return TypeBudget.DOUBLE;
                }
            } catch (NumberFormatException e) {
                // not a number
            }
        }
        if (date(value)) {
            return TypeBudget.DATE;
        }
        return TypeBudget.STRING;
    }

    /**
     * A CSV field's type: {@code void} for an empty field or {@code \N} (Hive's null), {@code boolean}
     * ({@code true}/{@code false}, any case), {@code int}/{@code bigint} (canonical integers: no
     * leading zeros or plus), {@code double} (other decimal numbers without leading zeros),
     * {@code date} ({@code yyyy-MM-dd}), {@code timestamp} ({@code yyyy-MM-dd HH:mm:ss[.f…]}, a
     * {@code T} allowed for the space), {@code string} for everything else.
     */
    static CatalogTypes.Type csvValue(String value) {
        if (value.isEmpty() || value.equals("\\N")) {
            return TypeBudget.VOID;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return TypeBudget.BOOLEAN;
        }
        CatalogTypes.Type integer = integer(value);
        if (integer != null) {
            return integer;
        }
        if (value.length() <= 64 && DECIMAL.matcher(value).matches()) {
            try {
                if (Double.isFinite(Double.parseDouble(value))) {
                    return TypeBudget.DOUBLE;
                }
            } catch (NumberFormatException e) {
                // not a number
            }
        }
        if (date(value)) {
            return TypeBudget.DATE;
        }
        if (value.length() <= 29 && TIMESTAMP.matcher(value).matches()) {
            try {
                LocalDateTime.parse(value.replace(' ', 'T'));
                return TypeBudget.TIMESTAMP;
            } catch (DateTimeParseException e) {
                // not a valid timestamp
            }
        }
        return TypeBudget.STRING;
    }

    /** {@code int} or {@code bigint} when the value is an integer in its canonical text, else null. */
    private static CatalogTypes.Type integer(String value) {
        int n = value.length();
        if (n == 0 || n > 20) {
            return null;
        }
        int start = value.charAt(0) == '-' ? 1 : 0;
        if (start == n || value.charAt(start) == '0' && (n - start > 1 || start == 1)) {
            return null;
        }
        for (int i = start; i < n; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return null;
            }
        }
        try {
            long v = Long.parseLong(value);
            return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? TypeBudget.INT : TypeBudget.BIGINT;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean date(String value) {
        if (value.length() != 10 || !DATE.matcher(value).matches()) {
            return false;
        }
        try {
            return LocalDate.parse(value).toString().equals(value);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** The two types widened; {@code string} where they meet only as that. */
    static CatalogTypes.Type widen(CatalogTypes.Type a, CatalogTypes.Type b) {
        if (a == null) {
            return b;
        }
        CatalogTypes.Type wider = CatalogTypes.wider(a, b);
        return wider == null ? TypeBudget.STRING : wider;
    }
}
