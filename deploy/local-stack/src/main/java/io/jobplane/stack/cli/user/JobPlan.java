package io.jobplane.stack.cli.user;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code jobs apply} must do to make a stored job look like its file: the job fields to
 * change (one {@code PUT}), then the tasks to change, add and remove, matched by position.
 * Fields the file leaves out keep their value; a settings group is unchanged when every value the
 * file gives equals the stored one (the API shows defaults the file may leave out). Tasks are
 * reconciled only when the file has {@code tasks} or {@code queries}.
 */
record JobPlan(ObjectNode update, List<TaskStep> tasks) {

    /** Fields of a job file that are not changed with the job's {@code PUT}. */
    private static final List<String> NOT_UPDATED = List.of("name", "type", "tasks", "queries");

    /** One task call: {@code PUT}, {@code POST} or {@code DELETE}, on the task at {@code index}. */
    record TaskStep(String method, int index, String taskId, ObjectNode body) {
    }

    boolean unchanged() {
        return update.isEmpty() && tasks.isEmpty();
    }

    /** The plan from the file's JSON to the stored job's ({@code GET …/jobs/{id}}). */
    static JobPlan of(JsonNode file, JsonNode stored) {
        String type = file.path("type").asText(null);
        if (type != null && !type.equals(stored.path("type").asText())) {
            throw new CliFailure("job " + stored.path("name").asText() + " is a " + stored.path("type").asText()
                    + " job and its type cannot change to " + type + ": delete it first or give the new job another name");
        }
        ObjectNode update = ApiClient.JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = file.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!NOT_UPDATED.contains(f.getKey()) && !covers(stored.get(f.getKey()), f.getValue())) {
                update.set(f.getKey(), f.getValue());
            }
        }
        return new JobPlan(update, file.has("tasks") || file.has("queries") ? taskSteps(file, stored.path("tasks")) : List.of());
    }

    private static List<TaskStep> taskSteps(JsonNode file, JsonNode stored) {
        List<ObjectNode> wanted = new ArrayList<>();
        if (file.has("queries")) {
            file.get("queries").forEach(q -> wanted.add(task(q.asText(), true)));
        } else {
            file.get("tasks").forEach(t -> wanted.add(task(t.path("query").asText(), t.path("is_active").asBoolean(true))));
        }
        List<TaskStep> steps = new ArrayList<>();
        int have = stored.size();
        for (int i = 0; i < Math.min(have, wanted.size()); i++) {
            JsonNode s = stored.get(i);
            ObjectNode w = wanted.get(i);
            if (!s.path("query").asText().equals(w.get("query").asText())
                    || s.path("is_active").asBoolean(true) != w.get("is_active").asBoolean()) {
                steps.add(new TaskStep("PUT", i, s.path("task_id").asText(), w));
            }
        }
        for (int i = have; i < wanted.size(); i++) {
            steps.add(new TaskStep("POST", i, null, wanted.get(i)));
        }
        // Last first: a deletion moves the later tasks up.
        for (int i = have - 1; i >= wanted.size(); i--) {
            steps.add(new TaskStep("DELETE", i, stored.get(i).path("task_id").asText(), null));
        }
        return steps;
    }

    private static ObjectNode task(String query, boolean active) {
        ObjectNode t = ApiClient.JSON.createObjectNode();
        t.put("query", query).put("is_active", active);
        return t;
    }

    /** True when every value {@code wanted} gives equals the one in {@code stored}. */
    static boolean covers(JsonNode stored, JsonNode wanted) {
        if (wanted == null || wanted.isNull()) {
            return stored == null || stored.isNull();
        }
        if (stored == null || stored.isNull()) {
            return false;
        }
        if (wanted.isObject()) {
            if (!stored.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = wanted.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!covers(stored.get(f.getKey()), f.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (wanted.isArray()) {
            if (!stored.isArray() || stored.size() != wanted.size()) {
                return false;
            }
            for (int i = 0; i < wanted.size(); i++) {
                if (!covers(stored.get(i), wanted.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (wanted.isNumber() && stored.isNumber()) {
            return wanted.decimalValue().compareTo(stored.decimalValue()) == 0;
        }
        return wanted.equals(stored);
    }

    /** What the plan does, for people: {@code description, labels; tasks: 1 changed, 2 added, 0 removed}. */
    String summary() {
        List<String> parts = new ArrayList<>();
        update.fieldNames().forEachRemaining(parts::add);
        String fields = String.join(", ", parts);
        if (tasks.isEmpty()) {
            return fields;
        }
        long changed = tasks.stream().filter(t -> t.method().equals("PUT")).count();
        long added = tasks.stream().filter(t -> t.method().equals("POST")).count();
        long removed = tasks.stream().filter(t -> t.method().equals("DELETE")).count();
        String t = "tasks: " + changed + " changed, " + added + " added, " + removed + " removed";
        return fields.isEmpty() ? t : fields + "; " + t;
    }
}
