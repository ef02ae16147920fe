package io.jobplane.worker.policy;

import java.util.Set;

import io.jobplane.events.payload.policy.PolicyChange;

/**
 * What Ranger users, groups and roles become ({@code ranger_permission_migration_principal_relas}): each kind
 * has a target type ({@code IAM_USER}, {@code IAM_GROUP}, {@code ROLE}) and a prefix and suffix put around the
 * name. A kind without a target keeps its own kind as type ({@code USER}, {@code GROUP}, {@code ROLE}) and its
 * name, prefix and suffix still applied.
 */
public record PrincipalMapping(String userTo, String userPrefix, String userSuffix, String groupTo, String groupPrefix,
        String groupSuffix, String roleTo, String rolePrefix, String roleSuffix) {

    public static final String USER = "USER";
    public static final String GROUP = "GROUP";
    public static final String ROLE = "ROLE";
    private static final Set<String> TARGETS = Set.of("IAM_USER", "IAM_GROUP", "ROLE");

    public PrincipalMapping {
        for (String to : new String[] {userTo, groupTo, roleTo}) {
            if (to != null && !TARGETS.contains(to)) {
                throw new IllegalArgumentException("principal target must be one of " + TARGETS + ", not " + to);
            }
        }
    }

    /** No mapping: users, groups and roles keep their kind and name. */
    public static PrincipalMapping none() {
        return new PrincipalMapping(null, null, null, null, null, null, null, null, null);
    }

    /** The principal a Ranger {@code kind} ({@link #USER}, {@link #GROUP}, {@link #ROLE}) named {@code name} becomes. */
    public PolicyChange.Principal map(String kind, String name) {
        return switch (kind) {
            case USER -> new PolicyChange.Principal(or(userTo, USER), USER, wrap(userPrefix, name, userSuffix));
            case GROUP -> new PolicyChange.Principal(or(groupTo, GROUP), GROUP, wrap(groupPrefix, name, groupSuffix));
            case ROLE -> new PolicyChange.Principal(or(roleTo, ROLE), ROLE, wrap(rolePrefix, name, roleSuffix));
            default -> throw new IllegalArgumentException("unknown principal kind " + kind);
        };
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }

    private static String wrap(String prefix, String name, String suffix) {
        return (prefix == null ? "" : prefix) + name + (suffix == null ? "" : suffix);
    }
}
