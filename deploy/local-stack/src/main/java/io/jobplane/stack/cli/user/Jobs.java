package io.jobplane.stack.cli.user;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** Finding a job by its id or its name. */
final class Jobs {

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Jobs() {
    }

    /** The job (as {@code GET …/jobs/{id}} shows it) that {@code ref} names, by id or name; a failure when none. */
    static ApiClient.Answer require(ApiClient api, String workspace, String ref) {
        if (UUID.matcher(ref).matches()) {
            return api.send("GET", ApiClient.ws(workspace, "/jobs/" + ref), null, Map.of());
        }
        return byName(api, workspace, ref).orElseThrow(() -> new CliFailure("no job named '" + ref + "' in workspace "
                + workspace + " (archived ones included): jobplane jobs list shows the workspace's jobs"));
    }

    /** The job of that exact name, archived ones included, with its ETag. */
    static Optional<ApiClient.Answer> byName(ApiClient api, String workspace, String name) {
        String cursor = null;
        do {
            JsonNode page = api.get(ApiClient.ws(workspace, "/jobs") + ApiClient.query("name_prefix", name,
                    "include_archived", "true", "limit", 500, "cursor", cursor));
            for (JsonNode job : page.path("jobs")) {
                if (job.path("name").asText().equals(name)) {
                    return Optional.of(api.send("GET", ApiClient.ws(workspace, "/jobs/" + job.path("job_id").asText()), null,
                            Map.of()));
                }
            }
            cursor = page.hasNonNull("next_cursor") ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        return Optional.empty();
    }
}
