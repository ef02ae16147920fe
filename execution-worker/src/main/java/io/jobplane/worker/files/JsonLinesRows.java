package io.jobplane.worker.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A JSON lines file (UTF-8): one JSON object per line, blank lines ignored. Its columns are the
 * top-level keys of all its objects, in the order first seen (the file is read twice: once for
 * them, once for the rows). A table made from it gets each column's type from the values the file
 * holds: {@code bigint} when all are integers, {@code numeric} when all are numbers,
 * {@code boolean}, {@code jsonb} when any is an object or array, else {@code text}. Values are
 * {@code JsonNode}s; a key a line lacks is NULL.
 */
final class JsonLinesRows implements FileRows {

    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final String shown;
    private final List<FileColumn> columns = new ArrayList<>();
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private BufferedReader reader;
    private long line;

    JsonLinesRows(FileRows.Opener file, String shown) throws IOException, FileTaskException {
        this.shown = shown;
        Map<String, Kinds> kinds = new LinkedHashMap<>();
        try (BufferedReader scan = new BufferedReader(java.nio.channels.Channels.newReader(file.open(), StandardCharsets.UTF_8.newDecoder(), -1))) {
            this.reader = scan;
            JsonNode object;
            while ((object = object()) != null) {
                for (Map.Entry<String, JsonNode> field : object.properties()) {
                    kinds.computeIfAbsent(field.getKey(), k -> new Kinds()).see(field.getValue());
                }
            }
        }
        kinds.forEach((name, k) -> {
            index.put(name, columns.size());
            columns.add(new FileColumn(name, k.type(), false));
        });
        reader = new BufferedReader(java.nio.channels.Channels.newReader(file.open(), StandardCharsets.UTF_8.newDecoder(), -1));
        line = 0;
    }

    /** What values a key was seen with. */
    private static final class Kinds {
        boolean integer;
        boolean decimal;
        boolean bool;
        boolean text;
        boolean container;

        void see(JsonNode v) {
            if (v.isNull()) {
                return;
            }
            if (v.isContainerNode()) {
                container = true;
            } else if (v.isIntegralNumber() && v.canConvertToLong()) {
                integer = true;
            } else if (v.isNumber()) {
                decimal = true;
            } else if (v.isBoolean()) {
                bool = true;
            } else {
                text = true;
            }
        }

        String type() {
            if (container) {
                return "jsonb";
            }
            if (text || (bool && (integer || decimal))) {
                return "text";
            }
            if (bool) {
                return "boolean";
            }
            if (decimal) {
                return "numeric";
            }
            return integer ? "bigint" : "text";
        }
    }

    @Override
    public List<FileColumn> columns() {
        return columns;
    }

    @Override
    public Object[] next() throws IOException, FileTaskException {
        JsonNode object = object();
        if (object == null) {
            return null;
        }
        Object[] row = new Object[columns.size()];
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            Integer i = index.get(field.getKey());
            if (i == null) {
                throw FileRows.malformed(shown, position(), "key '" + field.getKey() + "' appeared while the file was read");
            }
            row[i] = field.getValue().isNull() ? null : field.getValue();
        }
        return row;
    }

    /** The next non-blank line's object; null at the end. */
    private JsonNode object() throws IOException, FileTaskException {
        while (true) {
            String text;
            try {
                text = reader.readLine();
            } catch (CharacterCodingException e) {
                throw FileRows.malformed(shown, "line " + (line + 1), "is not UTF-8 text");
            }
            if (text == null) {
                return null;
            }
            line++;
            if (text.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw FileRows.malformed(shown, position(), "is not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (!node.isObject()) {
                throw FileRows.malformed(shown, position(), "holds " + node.getNodeType().name().toLowerCase()
                        + " where each line must be one JSON object, e.g. {\"id\": 1, \"name\": \"x\"}");
            }
            return node;
        }
    }

    @Override
    public String position() {
        return "line " + line;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
