package io.jobplane.worker.policy;

/**
 * What a policy file may hold at most; above a bound the file is refused with a {@link PolicyFileException}.
 *
 * @param maxFileBytes        bytes of the file
 * @param maxPolicies         entries of the file's policy (or permission) array
 * @param maxArrayElements    elements of any other array (values of a resource, users, groups, items, accesses …)
 *                            and fields of any object
 * @param maxDepth            nesting depth of the JSON
 * @param maxStringLength     characters of one JSON string
 * @param maxGrants           distinct grants one run may emit
 * @param maxCandidates       grants one run may examine (duplicates included), so a file that repeats the same
 *                            names cannot make a run spin
 */
public record PolicyBounds(long maxFileBytes, int maxPolicies, int maxArrayElements, int maxDepth, int maxStringLength,
        long maxGrants, long maxCandidates) {

    public static PolicyBounds defaults() {
        return new PolicyBounds(128L * 1024 * 1024, 200_000, 10_000, 32, 1024 * 1024, 5_000_000L, 50_000_000L);
    }

    public PolicyBounds withMaxFileBytes(long bytes) {
        return new PolicyBounds(bytes, maxPolicies, maxArrayElements, maxDepth, maxStringLength, maxGrants, maxCandidates);
    }

    public PolicyBounds withMaxGrants(long grants) {
        return new PolicyBounds(maxFileBytes, maxPolicies, maxArrayElements, maxDepth, maxStringLength, grants, grants * 10);
    }
}
