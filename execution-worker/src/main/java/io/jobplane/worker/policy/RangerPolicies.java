package io.jobplane.worker.policy;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Ranger policies as Ranger writes them: the envelope of Ranger admin's policy export ({@code metaDataInfo},
 * {@code policies}), a policy-engine test set ({@code serviceName}, {@code serviceDef}, {@code policies},
 * {@code tests}: only {@code policies} and the service definition's name are read), or a bare array of policies.
 * Reading is bounded by {@link PolicyBounds} (see {@link BoundedJson}).
 */
public final class RangerPolicies {

    private RangerPolicies() {
    }

    /** What a file holds: the service type its envelope names (null when it names none) and the policies. */
    public record Parsed(String serviceType, List<Policy> policies) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Policy(Long id, String guid, String name, String service, String serviceType, Integer policyType,
            @JsonProperty("isEnabled") Boolean enabled, @JsonProperty("isDenyAllElse") Boolean denyAllElse,
            Map<String, ResourceValues> resources, List<Map<String, ResourceValues>> additionalResources,
            List<Item> policyItems, List<Item> denyPolicyItems, List<Item> allowExceptions, List<Item> denyExceptions,
            List<Item> dataMaskPolicyItems, List<Item> rowFilterPolicyItems, List<JsonNode> conditions,
            List<JsonNode> validitySchedules) {

        /** The id Ranger gave the policy, else its guid, else null. */
        public String idText() {
            return id != null ? String.valueOf(id) : guid;
        }

        public boolean isEnabled() {
            return enabled == null || enabled;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ResourceValues(List<String> values, @JsonProperty("isExcludes") Boolean excludes,
            @JsonProperty("isRecursive") Boolean recursive) {

        public List<String> valuesOrEmpty() {
            return values == null ? List.of() : values;
        }

        public boolean isExcludes() {
            return excludes != null && excludes;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(List<Access> accesses, List<String> users, List<String> groups, List<String> roles,
            List<JsonNode> conditions, Boolean delegateAdmin) {

        public boolean grantOption() {
            return delegateAdmin != null && delegateAdmin;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Access(String type, @JsonProperty("isAllowed") Boolean allowed) {

        public boolean isAllowed() {
            return allowed == null || allowed;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Envelope(List<Policy> policies, ServiceDef serviceDef) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ServiceDef(String name) {
    }

    /** Reads {@code data}; a file over a bound or not of this shape is refused with a {@link PolicyFileException}. */
    public static Parsed parse(byte[] data, PolicyBounds bounds) {
        ObjectMapper mapper = BoundedJson.mapper(bounds);
        BoundedJson.check(data, bounds, mapper, java.util.Set.of("policies"));
        try {
            JsonToken first;
            try (JsonParser p = mapper.getFactory().createParser(data)) {
                first = p.nextToken();
            }
            if (first == JsonToken.START_ARRAY) {
                return new Parsed(null, List.of(mapper.readValue(data, Policy[].class)));
            }
            Envelope envelope = first == JsonToken.START_OBJECT ? mapper.readValue(data, Envelope.class) : null;
            if (envelope == null || envelope.policies() == null) {
                throw new PolicyFileException("POLICY_FILE_INVALID",
                        "a Ranger policy file is an object with a \"policies\" array (Ranger's export) or an array of policies");
            }
            return new Parsed(envelope.serviceDef() == null ? null : envelope.serviceDef().name(), envelope.policies());
        } catch (IOException e) {
            throw new PolicyFileException("POLICY_FILE_INVALID", "the Ranger policy file does not have Ranger's shape: "
                    + BoundedJson.originalMessage(e));
        }
    }
}
