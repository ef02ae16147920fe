package io.jobplane.worker.policy;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a policy file within {@link PolicyBounds}: a first streaming pass checks size, depth, string lengths and
 * how many elements each array holds (the file's main array up to {@code maxPolicies}, any other up to
 * {@code maxArrayElements}) without building anything; only a file that passes is bound to objects.
 */
final class BoundedJson {

    private BoundedJson() {
    }

    static ObjectMapper mapper(PolicyBounds bounds) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(bounds.maxDepth())
                        .maxStringLength(bounds.maxStringLength())
                        .maxNumberLength(100)
                        .build())
                .build();
        return new ObjectMapper(factory).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** Refuses {@code data} unless it is JSON within the bounds; {@code mainArrays} name the file's main array. */
    static void check(byte[] data, PolicyBounds bounds, ObjectMapper mapper, java.util.Set<String> mainArrays) {
        if (data.length > bounds.maxFileBytes()) {
            throw new PolicyFileException("POLICY_FILE_TOO_LARGE",
                    "the policy file has " + data.length + " bytes, more than the " + bounds.maxFileBytes() + " allowed");
        }
        int max = bounds.maxDepth() + 2;
        int[] count = new int[max];
        boolean[] array = new boolean[max];
        boolean[] main = new boolean[max];
        int depth = 0;
        try (JsonParser p = mapper.getFactory().createParser(data)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.END_ARRAY || t == JsonToken.END_OBJECT) {
                    depth--;
                    continue;
                }
                if (t == JsonToken.FIELD_NAME) {
                    if (++count[depth - 1] > bounds.maxArrayElements()) {
                        throw new PolicyFileException("TOO_MANY_VALUES", "the object at "
                                + p.getParsingContext().getParent().pathAsPointer() + " has more than "
                                + bounds.maxArrayElements() + " fields");
                    }
                    continue;
                }
                if (depth > 0 && array[depth - 1]) {
                    int limit = main[depth - 1] ? bounds.maxPolicies() : bounds.maxArrayElements();
                    if (++count[depth - 1] > limit) {
                        throw new PolicyFileException(main[depth - 1] ? "TOO_MANY_POLICIES" : "TOO_MANY_VALUES",
                                "the array at " + p.getParsingContext().getParent().pathAsPointer() + " has more than "
                                        + limit + " elements");
                    }
                }
                if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                    array[depth] = t == JsonToken.START_ARRAY;
                    main[depth] = array[depth] && (depth == 0 || depth == 1 && mainArrays.contains(p.currentName()));
                    count[depth] = 0;
                    depth++;
                }
            }
        } catch (StreamConstraintsException e) {
            throw new PolicyFileException("POLICY_FILE_TOO_COMPLEX", "the policy file exceeds a bound: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PolicyFileException("POLICY_FILE_INVALID", "the policy file is not valid JSON: " + originalMessage(e));
        }
    }

    static String originalMessage(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
}
