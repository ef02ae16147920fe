package io.jobplane.api.job;

import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.jobplane.api.error.ApiException;

/**
 * The name by which Tailer's DAG API knows a job (docs/dialects/tailer.md): the account and
 * environment it belongs to, its configuration type and the configuration id of its Tailer
 * configuration file. Optional on every job; a job without one is not reachable through the Tailer
 * paths. A {@code table-to-table} configuration is named in Tailer requests with the environment
 * appended ({@code <configuration_id>_<environment>}); the id stored here is the file's, without it.
 */
@Schema(description = "The job's identity in Tailer's DAG API (/v1/dag/...); see docs/dialects/tailer.md")
public record TailerIdentity(
        @Schema(description = "Tailer account, e.g. 000099")
        @NotBlank @Size(max = 64) @Pattern(regexp = WORD, message = WORD_RULE) String account,
        @Schema(description = "Tailer environment, e.g. DEV or PROD")
        @NotBlank @Size(max = 32) @Pattern(regexp = WORD, message = WORD_RULE) String environment,
        @Schema(description = "Tailer configuration type; it must fit the job's type: table-to-table (TABLE_TO_TABLE), "
                + "storage-to-storage (STORAGE_TO_STORAGE), storage-to-tables (LOAD_FOLDER), vm-launcher (STEPS), workflow (WORKFLOW)")
        @NotNull String configurationType,
        @Schema(description = "The configuration id of the Tailer configuration file, without the environment suffix "
                + "that table-to-table requests append")
        @NotBlank @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "may contain letters, digits, '_', '.', '-'") String configurationId) {

    static final String WORD = "[A-Za-z0-9_-]+";
    static final String WORD_RULE = "may contain letters, digits, '_' and '-'";

    /** Tailer configuration types jobplane can run, each with the one native job type it names. */
    public static final Map<String, JobType> CONFIGURATION_TYPES = Map.of(
            "table-to-table", JobType.TABLE_TO_TABLE,
            "storage-to-storage", JobType.STORAGE_TO_STORAGE,
            "storage-to-tables", JobType.LOAD_FOLDER,
            "vm-launcher", JobType.STEPS,
            "workflow", JobType.WORKFLOW);

    /** The configuration type whose request ids carry the environment as a suffix. */
    public static final String TABLE_TO_TABLE = "table-to-table";

    /** The identity fits a job of {@code type}, or the save is refused with the fix. */
    public void check(JobType type) {
        JobType named = CONFIGURATION_TYPES.get(configurationType);
        if (named == null) {
            throw ApiException.badRequest("INVALID_ENUM_VALUE",
                    "Field 'tailer.configuration_type' has the unknown value '" + configurationType + "'",
                    "Use one of " + new java.util.TreeSet<>(CONFIGURATION_TYPES.keySet()) + ".");
        }
        if (named != type) {
            throw ApiException.badRequest("INVALID_TAILER_IDENTITY",
                    "A Tailer " + configurationType + " configuration is a " + named + " job, this job is " + type,
                    "Use the configuration type of this job's type, or set the identity on a " + named + " job.");
        }
        if (TABLE_TO_TABLE.equals(configurationType) && configurationId.endsWith("_" + environment)) {
            throw ApiException.badRequest("INVALID_TAILER_IDENTITY",
                    "tailer.configuration_id '" + configurationId + "' already ends with the environment suffix '_"
                            + environment + "'",
                    "Store the id of the configuration file ('" + configurationId.substring(0,
                            configurationId.length() - environment.length() - 1) + "'); Tailer requests name it with '_"
                            + environment + "' appended.");
        }
    }
}
