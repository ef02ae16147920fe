package io.jobplane.api.job;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.jobplane.api.error.ApiException;

/**
 * A job listing: filters, a sort, and a cursor. Pages are stable: the order always ends with the
 * job id, and the cursor holds the last row's sort value and id, not an offset, so inserts and
 * deletes between pages neither repeat nor skip a job.
 */
public record JobQuery(JobType type, String label, JobStatus status, String namePrefix, boolean includeArchived,
        String sort, int limit, String cursor) {

    private static final Map<String, String> SORTS = Map.of("name", "name", "created_at", "createdAt",
            "updated_at", "updatedAt");

    String field() {
        return SORTS.get(sortKey());
    }

    boolean descending() {
        return sort != null && sort.startsWith("-");
    }

    private String sortKey() {
        String key = sort == null || sort.isBlank() ? "name" : sort.startsWith("-") ? sort.substring(1) : sort;
        if (!SORTS.containsKey(key)) {
            throw ApiException.badRequest("INVALID_SORT", "Cannot sort jobs by '" + sort + "'",
                    "Use one of name, created_at, updated_at; prefix with '-' for descending.");
        }
        return key;
    }

    /** The HQL condition and parameters of this query, for a workspace. */
    Map<String, Object> where(String workspace, StringBuilder hql) {
        Map<String, Object> params = new LinkedHashMap<>();
        hql.append("workspace = :workspace");
        params.put("workspace", workspace);
        if (type != null) {
            hql.append(" and type = :type");
            params.put("type", type);
        }
        if (status != null) {
            hql.append(" and status = :status");
            params.put("status", status);
        } else if (!includeArchived) {
            hql.append(" and status <> :archived");
            params.put("archived", JobStatus.ARCHIVED);
        }
        if (namePrefix != null && !namePrefix.isEmpty()) {
            hql.append(" and name like :prefix escape '!'");
            params.put("prefix", namePrefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        if (label != null && !label.isEmpty()) {
            hql.append(" and array_contains(labels, :label)");
            params.put("label", label);
        }
        if (cursor != null && !cursor.isEmpty()) {
            Cursor c = Cursor.decode(cursor, sortKey());
            String op = descending() ? "<" : ">";
            hql.append(" and (").append(field()).append(' ').append(op).append(" :after or (").append(field())
                    .append(" = :after and id ").append(op).append(" :afterId))");
            params.put("after", c.value());
            params.put("afterId", c.id());
        }
        String dir = descending() ? " desc" : " asc";
        hql.append(" order by ").append(field()).append(dir).append(", id").append(dir);
        return params;
    }

    /** The cursor that continues after {@code last}. */
    String cursorAfter(JobEntity last) {
        String key = sortKey();
        String value = switch (key) {
            case "name" -> last.name;
            case "created_at" -> last.createdAt.toString();
            default -> last.updatedAt.toString();
        };
        String raw = key + "\n" + value + "\n" + last.id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private record Cursor(Object value, UUID id) {
        static Cursor decode(String cursor, String sortKey) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", 3);
                if (parts.length != 3 || !parts[0].equals(sortKey)) {
                    throw new IllegalArgumentException("cursor of another sort");
                }
                Object value = sortKey.equals("name") ? parts[1] : Instant.parse(parts[1]);
                return new Cursor(value, UUID.fromString(parts[2]));
            } catch (RuntimeException e) {
                throw ApiException.badRequest("INVALID_CURSOR", "The cursor is not one this listing gave out",
                        "Pass next_cursor from the previous page unchanged, with the same sort; or leave it out to start over.");
            }
        }
    }
}
