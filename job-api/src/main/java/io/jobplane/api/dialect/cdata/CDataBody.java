package io.jobplane.api.dialect.cdata;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;


import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.jobplane.api.dialect.DialectBodies;
import io.jobplane.api.error.ApiException;

/**
 * A CData request body, read by parameter name whatever its spelling: CData documents
 * {@code Source-Connection}, {@code Send_Email}, {@code EmailErrorOnly}, {@code Pipeline Id}, and its
 * example requests use {@code source_connection_id}, {@code is_active}, {@code from_index}. A name is
 * matched by its letters and digits, case ignored ({@link #key}), so every spelling of one parameter
 * lands on one key; a name that matches none the operation takes is refused, as is a parameter sent
 * twice under two spellings. Field names without quotes (as in the reference's Execute example) are read.
 */
public final class CDataBody {

    /** Bodies carry a job's definition with its queries; anything larger is refused unread. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.ALLOW_UNQUOTED_FIELD_NAMES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Map<String, JsonNode> fields;
    private final Map<String, String> sentAs;

    private CDataBody(Map<String, JsonNode> fields, Map<String, String> sentAs) {
        this.fields = fields;
        this.sentAs = sentAs;
    }

    /** A parameter name reduced to its letters and digits, lower case: {@code Pipeline Id} → {@code pipelineid}. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /**
     * Reads {@code body}; {@code known} maps each key the operation takes to the name CData documents
     * for it (used in messages). {@code required}: whether an empty body is an error.
     */
    public static CDataBody parse(String body, Map<String, String> known, boolean required) {
        JsonNode root = DialectBodies.object(JSON, body, MAX_BODY_BYTES, required,
                "the operation's parameters (a job's queries can be added task by task)", "docs/dialects/cdata.md");
        return root == null ? new CDataBody(Map.of(), Map.of()) : of(root, known);
    }

    static CDataBody of(JsonNode object, Map<String, String> known) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        Map<String, String> sentAs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = key(e.getKey());
            if (!known.containsKey(k)) {
                throw ApiException.badRequest("UNKNOWN_FIELD", "Unknown parameter '" + e.getKey() + "'",
                        "Remove it or check its spelling. Parameters taken here: " + new TreeSet<>(known.values()));
            }
            if (fields.containsKey(k)) {
                throw ApiException.badRequest("DUPLICATE_FIELD", "Parameter " + known.get(k) + " is sent twice, as '"
                        + sentAs.get(k) + "' and '" + e.getKey() + "'", "Send it once.");
            }
            if (!e.getValue().isNull()) {
                fields.put(k, e.getValue());
                sentAs.put(k, e.getKey());
            }
        }
        return new CDataBody(fields, sentAs);
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    public boolean has(String key) {
        return fields.containsKey(key);
    }

    public boolean hasAny(Set<String> keys) {
        return keys.stream().anyMatch(fields::containsKey);
    }

    /** The name the client used for {@code key}, for messages. */
    public String name(String key) {
        return sentAs.getOrDefault(key, key);
    }

    public JsonNode node(String key) {
        return fields.get(key);
    }

    public String text(String key) {
        JsonNode v = fields.get(key);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(key, "a string");
        }
        return v.textValue();
    }

    /** A boolean: JSON {@code true}/{@code false}, or the words {@code True}/{@code False} as CData writes them. */
    public Boolean bool(String key) {
        JsonNode v = fields.get(key);
        if (v == null) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.textValue().equalsIgnoreCase("true") || v.textValue().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.textValue().toLowerCase(Locale.ROOT));
        }
        throw wrongType(key, "True or False");
    }

    /** A whole number, as a JSON number or its digits in a string. */
    public Integer integer(String key) {
        JsonNode v = fields.get(key);
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        }
        if (v.isTextual() && v.textValue().trim().matches("-?\\d{1,9}")) {
            return Integer.parseInt(v.textValue().trim());
        }
        throw wrongType(key, "a whole number");
    }

    /** A list of strings: a JSON array of strings, or one string of comma-separated values. */
    public List<String> list(String key) {
        JsonNode v = fields.get(key);
        if (v == null) {
            return null;
        }
        if (v.isTextual()) {
            return java.util.Arrays.stream(v.textValue().split("[,;]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        if (v.isArray()) {
            List<String> out = new java.util.ArrayList<>();
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    throw wrongType(key, "a list of strings");
                }
                out.add(item.textValue());
            }
            return out;
        }
        throw wrongType(key, "a list of strings");
    }

    /** A nested object, read with the same spelling rules. */
    public CDataBody object(String key, Map<String, String> known) {
        JsonNode v = fields.get(key);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw wrongType(key, "an object");
        }
        return of(v, known);
    }

    ApiException wrongType(String key, String what) {
        return ApiException.badRequest("INVALID_FIELD_TYPE", "Parameter '" + name(key) + "' must be " + what,
                "Send " + name(key) + " as " + what + " (see docs/dialects/cdata.md).");
    }
}
