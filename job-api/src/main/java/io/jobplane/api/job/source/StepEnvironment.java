package io.jobplane.api.job.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.secret.SealedFields;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;

/**
 * The rules of a STEPS job's environment: its properties and secrets become environment variables
 * of the steps, so each name must be one, must not be one the worker sets or one that changes how
 * an interpreter runs, and must not be both a property and a secret. Sizes are bounded: bulk data
 * belongs in tables the steps read.
 */
final class StepEnvironment {

    static final int MAX_ENTRIES = 100;
    static final int MAX_VALUE = 32 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** Names the worker sets itself, or that would change how a step's interpreter runs. */
    private static final Set<String> RESERVED = Set.of("PATH", "HOME", "SHELL", "IFS", "PWD", "ENV", "BASH_ENV", "PYTHONPATH",
            "PYTHONHOME", "PYTHONSTARTUP");
    private static final List<String> RESERVED_PREFIXES = List.of("JOBPLANE_", "LD_", "PG");
    private static final String PROPERTY = "property";
    private static final String SECRET = "secret";

    private StepEnvironment() {
    }

    /** The properties to store, sorted by name, if each is a valid entry with a value. */
    static Map<String, String> properties(Map<String, String> given) {
        check(given, PROPERTY);
        return new TreeMap<>(given);
    }

    /** Checks the secrets to set; a null or empty value keeps the stored one. */
    static void checkSecrets(Map<String, String> set) {
        check(set, SECRET);
    }

    /** Refuses property names the job already holds as secrets. */
    static void requireNoSecretNamed(Collection<String> properties, Collection<String> secrets) {
        requireNoOverlap(properties, secrets, SECRET);
    }

    /**
     * Applies a secrets update to the job's sealed secrets: names to remove must be held, names to set
     * must not be properties, and the job keeps at most {@link #MAX_ENTRIES}. Answers the names changed.
     */
    static List<String> updateSecrets(SealedFields sealed, Map<String, String> set, List<String> remove, Set<String> properties,
            SecretKeyring keyring, SecretOwner owner) {
        for (String name : remove) {
            if (sealed.get(name) == null) {
                throw ApiException.badRequest("UNKNOWN_SECRET", "The job holds no secret '" + name + "'",
                        "List the job's secrets with GET .../jobs/" + owner.objectId() + "/secrets.");
            }
        }
        requireNoOverlap(set.keySet(), properties, PROPERTY);
        List<String> changed = sealed.merge(set, remove, keyring, owner);
        if (sealed.names().size() > MAX_ENTRIES) {
            throw invalid("a job holds at most " + MAX_ENTRIES + " secrets", "Remove secrets the steps no longer need.");
        }
        return changed;
    }

    private static void check(Map<String, String> entries, String kind) {
        if (entries.size() > MAX_ENTRIES) {
            throw invalid("at most " + MAX_ENTRIES + " " + kind + " entries", "Send fewer entries; put bulk data in a table the steps read.");
        }
        entries.forEach((name, value) -> checkEntry(name, value, kind));
    }

    private static void checkEntry(String name, String value, String kind) {
        if (!NAME.matcher(name).matches()) {
            throw invalid(kind + " name '" + name + "' is not an environment variable name",
                    "Use letters, digits and '_', starting with a letter or '_' (at most 128 characters).");
        }
        if (RESERVED.contains(name) || RESERVED_PREFIXES.stream().anyMatch(name::startsWith)) {
            throw invalid(kind + " name '" + name + "' is reserved (the worker sets it, or it changes how steps run)",
                    "Pick another name; names starting with " + RESERVED_PREFIXES + " and " + new TreeSet<>(RESERVED) + " are reserved.");
        }
        if (value != null && value.length() > MAX_VALUE) {
            throw invalid(kind + " '" + name + "' is longer than " + MAX_VALUE + " characters", "Keep values short; steps read bulk data from tables.");
        }
        if (value == null && kind.equals(PROPERTY)) {
            throw invalid("property '" + name + "' has no value", "Send a string, or leave the property out.");
        }
    }

    private static void requireNoOverlap(Collection<String> names, Collection<String> others, String otherKind) {
        List<String> both = new ArrayList<>(names);
        both.retainAll(others);
        if (!both.isEmpty()) {
            throw invalid("name(s) " + both + " are already " + otherKind + " names of this job",
                    "A step sees properties and secrets in one environment: give each its own name.");
        }
    }

    private static ApiException invalid(String problem, String fix) {
        return ApiException.badRequest("INVALID_ENVIRONMENT", problem, fix);
    }
}
