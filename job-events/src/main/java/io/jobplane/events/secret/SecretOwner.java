package io.jobplane.events.secret;

/**
 * Where a sealed value belongs: a workspace, an object of a kind ({@code connection},
 * {@code job-parameter}, {@code job-step}, {@code webhook}) and its id. With a field name it makes
 * the associated data a value is sealed under ({@code workspace|kind|id|field}), so a value copied to
 * another workspace, object or field cannot be opened there. Job-api seals with it; a worker
 * rebuilds it from ids its launch command already carries (the workspace, the job id, the
 * connection id) and the field's name.
 */
public record SecretOwner(String workspace, String kind, String objectId) {

    /** A connection's fields: {@code password}, {@code auth_token}, {@code secret_headers.<name>}. */
    public static SecretOwner connection(String workspace, Object connectionId) {
        return new SecretOwner(workspace, "connection", String.valueOf(connectionId));
    }

    /** The secrets of a job's (LakeFormation) parameter. */
    public static SecretOwner jobParameter(String workspace, Object jobId) {
        return new SecretOwner(workspace, "job-parameter", String.valueOf(jobId));
    }

    /** The secrets a STEPS job's steps see as environment variables. */
    public static SecretOwner jobSteps(String workspace, Object jobId) {
        return new SecretOwner(workspace, "job-step", String.valueOf(jobId));
    }

    /** A webhook's signing secret (field {@code secret}). */
    public static SecretOwner webhook(String workspace, Object webhookId) {
        return new SecretOwner(workspace, "webhook", String.valueOf(webhookId));
    }

    /**
     * The associated data of the field: {@code workspace|kind|id|field}. A part that is missing
     * (a command without a workspace) reads "null", which no sealed value is bound to.
     */
    public String binding(String field) {
        return workspace + "|" + kind + "|" + objectId + "|" + field;
    }

    @Override
    public String toString() {
        return kind + " " + objectId + " of workspace " + workspace;
    }
}
