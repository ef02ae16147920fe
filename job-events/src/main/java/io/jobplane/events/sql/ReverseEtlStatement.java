package io.jobplane.events.sql;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.jobplane.events.sql.ReplicateStatement.TableName;
import io.jobplane.events.sql.ReplicateStatement.Variant;

/**
 * A reverse ETL task ({@code REVERSE_ETL}), in the grammar of {@link ReplicateStatement}: rows of
 * a source table or query are POSTed in batches to a path under the destination's base URL.
 * {@code REPLICATE [contacts]} sends the source table {@code contacts} to {@code {base_url}/contacts};
 * {@code REPLICATE [crm/contacts] WITH RateLimit='20', KeyColumn='id' SELECT * FROM [crm_contacts]
 * WHERE active} sends what the query returns to {@code {base_url}/crm/contacts}, at most 20
 * requests a second, rows in {@code id} order. A qualified target ({@code [crm].[contacts]}) is
 * the path {@code crm/contacts}.
 *
 * @param statement        the statement as the shared grammar reads it (source table or query)
 * @param path             the path under the base URL, each segment percent-encoded, no leading slash
 * @param rateLimit        requests a second at most ({@code RateLimit}); null: no limit
 * @param keyColumns       the unique column(s) rows are read in order of ({@code KeyColumn}); empty:
 *                         the source's primary key
 * @param maxRetries       tries of a batch after its first ({@code MaxRetries}, default 5)
 * @param requestTimeoutSeconds how long one request may take ({@code RequestTimeout}, default 30)
 * @param allowRefusedRows whether the task succeeds although the receiver refused rows
 *                         ({@code AllowRefusedRows}, default false; refused rows are reported either way)
 */
public record ReverseEtlStatement(
        ReplicateStatement statement,
        String path,
        BigDecimal rateLimit,
        List<String> keyColumns,
        int maxRetries,
        int requestTimeoutSeconds,
        boolean allowRefusedRows) {

    public static final int DEFAULT_MAX_RETRIES = 5;
    public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
    private static final BigDecimal MAX_RATE = BigDecimal.valueOf(10_000);

    /** Options a reverse ETL task may set in its {@code WITH} clause, by lower-case name. */
    public static final Map<String, String> OPTIONS = Map.of(
            "ratelimit", "RateLimit",
            "keycolumn", "KeyColumn",
            "maxretries", "MaxRetries",
            "requesttimeout", "RequestTimeout",
            "allowrefusedrows", "AllowRefusedRows");

    public static final Variant VARIANT = new Variant("reverse ETL task", OPTIONS,
            "Write REPLICATE [path] (the source table of that name, POSTed to {base_url}/path) or "
                    + "REPLICATE [path] WITH RateLimit='20', KeyColumn='id' SELECT … FROM [table] WHERE …",
            "reverse ETL tasks take no {{placeholders}}; filter the rows in the task's WHERE clause");

    public static ReverseEtlStatement parse(String task) {
        ReplicateStatement s = ReplicateStatement.parse(task, VARIANT);
        Map<String, String> o = s.options();
        return new ReverseEtlStatement(s, path(s.target()), rate(o.get("ratelimit")), keys(o.get("keycolumn")),
                integer(o.get("maxretries"), "MaxRetries", 0, 20, DEFAULT_MAX_RETRIES,
                        "the number of times a batch is tried again after its first try"),
                integer(o.get("requesttimeout"), "RequestTimeout", 1, 3600, DEFAULT_REQUEST_TIMEOUT_SECONDS,
                        "the seconds one request may take"),
                bool(o.get("allowrefusedrows"), "AllowRefusedRows"));
    }

    /** The source table's name (table form) or null (query form). */
    public TableName sourceTable() {
        return statement.isQueryForm() ? null : statement.source();
    }

    private static String path(TableName target) {
        String raw = target.schema() == null ? target.name() : target.schema() + "/" + target.name();
        List<String> segments = new ArrayList<>();
        for (String segment : raw.split("/")) {
            if (!segment.isBlank()) {
                segments.add(encode(segment.strip()));
            }
        }
        if (segments.isEmpty()) {
            throw new ReplicateStatement.SyntaxException("[" + raw + "] names no path under the base URL", VARIANT);
        }
        return String.join("/", segments);
    }

    /** A path segment with every character outside RFC 3986's pchar percent-encoded (UTF-8). */
    static String encode(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static BigDecimal rate(String value) {
        if (value == null) {
            return null;
        }
        BigDecimal rate;
        try {
            rate = new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            rate = null;
        }
        if (rate == null || rate.signum() <= 0 || rate.compareTo(MAX_RATE) > 0) {
            throw new ReplicateStatement.SyntaxException("RateLimit='" + value + "' is not a number of requests a second above 0"
                    + " and at most " + MAX_RATE + " (e.g. RateLimit='20' or RateLimit='0.5'); leave it out for no limit", VARIANT);
        }
        return rate;
    }

    private static List<String> keys(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        for (String part : value.split(",")) {
            String name = part.strip();
            if (name.startsWith("[") && name.endsWith("]") && name.length() > 2) {
                name = name.substring(1, name.length() - 1);
            }
            if (name.isBlank()) {
                throw new ReplicateStatement.SyntaxException("KeyColumn='" + value + "' names an empty column; name the unique "
                        + "column(s) rows are read in order of, e.g. KeyColumn='id' or KeyColumn='tenant_id, id'", VARIANT);
            }
            if (keys.contains(name)) {
                throw new ReplicateStatement.SyntaxException("KeyColumn names '" + name + "' twice", VARIANT);
            }
            keys.add(name);
        }
        return List.copyOf(keys);
    }

    private static int integer(String value, String option, int min, int max, int otherwise, String meaning) {
        if (value == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ReplicateStatement.SyntaxException(option + "='" + value + "' must be a whole number from " + min + " to " + max
                + " (" + meaning + "; " + otherwise + " when left out)", VARIANT);
    }

    private static boolean bool(String value, String option) {
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ReplicateStatement.SyntaxException(option + "='" + value + "' must be 'true' or 'false'", VARIANT);
        };
    }
}
