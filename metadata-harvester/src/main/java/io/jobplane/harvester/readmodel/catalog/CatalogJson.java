package io.jobplane.harvester.readmodel.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.events.payload.catalog.CatalogChange.Column;
import io.jobplane.events.payload.catalog.CatalogChange.FunctionResource;

/** The JSON of the read model's jsonb columns: maps of strings, columns {name, type, comment}, resources {type, uri}. */
final class CatalogJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<Column>> COLUMNS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> TEXTS = new TypeReference<>() {
    };
    private static final TypeReference<List<FunctionResource>> RESOURCES = new TypeReference<>() {
    };

    private CatalogJson() {
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static Map<String, String> strings(String json) {
        return read(json, STRINGS);
    }

    static List<Column> columns(String json) {
        return List.copyOf(read(json, COLUMNS));
    }

    static List<String> texts(String json) {
        return List.copyOf(read(json, TEXTS));
    }

    static List<FunctionResource> resources(String json) {
        return List.copyOf(read(json, RESOURCES));
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the catalog read model holds JSON it did not write: " + e.getOriginalMessage(), e);
        }
    }
}
