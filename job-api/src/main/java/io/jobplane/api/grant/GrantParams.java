package io.jobplane.api.grant;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;


import io.jobplane.api.error.ApiException;
import io.jobplane.api.json.ListingCursor;

/**
 * The parameters of the grant queries, pure: page size, cursors bound to their listing, the
 * {@code resource} syntax, principals and privileges. Whatever is wrong answers 400 with a code.
 */
public final class GrantParams {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    static final int MAX_NAME = 512;
    static final int MAX_LOCATION = 4000;
    private static final Pattern PRIVILEGE = Pattern.compile("[A-Za-z_][A-Za-z0-9_ -]{0,63}");
    private static final Pattern LOCATION = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://.*|/.*)$");

    private GrantParams() {
    }

    /**
     * A resource as a query names it: a location ({@code scheme://…} or an absolute path), or a catalog
     * object {@code catalog[.database[.table[.column]]]} (names lower-cased: they compare ignoring case).
     */
    public record Resource(String catalog, String database, String table, String column, String location) {

        /** How many catalog levels are named (0 for a location). */
        public int depth() {
            return location != null ? 0 : column != null ? 4 : table != null ? 3 : database != null ? 2 : 1;
        }
    }

    /** The page size: absent means {@value #DEFAULT_LIMIT}. */
    public static int limit(String limit) {
        return ListingCursor.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
    }

    /** The resource of a query; null when absent (and not {@code required}). */
    public static Resource resource(String resource, boolean required) {
        if (resource == null || resource.isBlank()) {
            if (required) {
                throw invalidResource("resource is required");
            }
            return null;
        }
        if (resource.indexOf('\u0000') >= 0) {
            throw invalidResource("resource holds a NUL character");
        }
        if (LOCATION.matcher(resource).matches()) {
            if (resource.length() > MAX_LOCATION) {
                throw invalidResource("a location is at most " + MAX_LOCATION + " characters");
            }
            return new Resource(null, null, null, null, resource);
        }
        String[] parts = resource.split("\\.", -1);
        if (parts.length > 4) {
            throw invalidResource("a catalog object has at most four names: catalog.database.table.column");
        }
        for (String p : parts) {
            if (p.isBlank() || p.length() > MAX_NAME) {
                throw invalidResource("each name of catalog.database.table.column is 1 to " + MAX_NAME + " characters");
            }
        }
        String[] n = new String[4];
        for (int i = 0; i < parts.length; i++) {
            n[i] = parts[i].toLowerCase(Locale.ROOT);
        }
        return new Resource(n[0], n[1], n[2], n[3], null);
    }

    private static ApiException invalidResource(String why) {
        return ApiException.badRequest("INVALID_RESOURCE", why,
                "Name a catalog object as catalog.database.table.column (from the left, as deep as you need, e.g. hive.sales.orders) "
                        + "or a location as scheme://bucket/path or /path.");
    }

    /** A privilege, upper-cased; null when absent (and not {@code required}). */
    public static String privilege(String privilege, boolean required) {
        if (privilege == null || privilege.isBlank()) {
            if (required) {
                throw ApiException.badRequest("INVALID_PRIVILEGE", "privilege is required",
                        "Send the privilege to check, e.g. privilege=SELECT.");
            }
            return null;
        }
        if (!PRIVILEGE.matcher(privilege).matches()) {
            throw ApiException.badRequest("INVALID_PRIVILEGE", "privilege is a word of at most 64 letters, digits or _",
                    "Send a privilege as the policies name it, e.g. SELECT, INSERT, ALTER or ALL.");
        }
        return privilege.toUpperCase(Locale.ROOT);
    }

    /** A principal's name, as stored (case-sensitive); null when absent (and not {@code required}). */
    public static String principal(String principal, boolean required) {
        if (principal == null || principal.isEmpty()) {
            if (required) {
                throw ApiException.badRequest("INVALID_PRINCIPAL", "principal is required",
                        "Send the principal's name as the grants show it, e.g. principal=alice.");
            }
            return null;
        }
        if (principal.length() > MAX_NAME || principal.indexOf('\u0000') >= 0) {
            throw ApiException.badRequest("INVALID_PRINCIPAL", "a principal's name is at most " + MAX_NAME + " characters, without NUL",
                    "Send the principal's name as the grants show it, e.g. principal=alice.");
        }
        return principal;
    }

    /** A principal type (IAM_USER, IAM_GROUP, ROLE, USER, GROUP, SHARE, OTHER), upper-cased; null when absent. */
    public static String principalType(String type) {
        if (type == null || type.isEmpty()) {
            return null;
        }
        if (!PRIVILEGE.matcher(type).matches()) {
            throw ApiException.badRequest("INVALID_PRINCIPAL_TYPE", "principal_type is a word of at most 64 letters, digits or _",
                    "Send a type as the grants show it, e.g. principal_type=IAM_USER.");
        }
        return type.toUpperCase(Locale.ROOT);
    }

    /** A cursor for {@code listing} that continues after the row whose sort key is {@code key}. */
    public static String cursor(String listing, List<String> key) {
        return ListingCursor.of(listing, key);
    }

    /** The sort key a cursor of {@code listing} holds ({@code arity} values, or any number when 0); null without a cursor. */
    public static List<String> after(String listing, String cursor, int arity) {
        return ListingCursor.after(listing, cursor, arity);
    }

    /**
     * A SQL expression turning the Ranger wildcard pattern in {@code column} into a {@code LIKE} pattern of
     * its lower-cased text: {@code *} any run of characters, {@code ?} one character; {@code %}, {@code _}
     * and {@code \} stand for themselves.
     */
    static String likeOf(String column) {
        return "replace(replace(replace(replace(replace(lower(" + column + "), '\\', '\\\\'), '%', '\\%'), '_', '\\_'), '*', '%'), '?', '_')";
    }
}
