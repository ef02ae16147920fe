package io.jobplane.worker.files;

import com.fasterxml.jackson.databind.JsonNode;

/** Values written as rows of PostgreSQL's {@code COPY … FROM STDIN} text format. */
final class CopyText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CopyText() {
    }

    /**
     * Appends one value ({@code \N} for null) as the column reads it: {@code json} columns take JSON
     * text (a JSON string quoted), other columns a JSON string's content; binary as bytea hex.
     */
    static void append(StringBuilder row, Object value, boolean json) {
        if (value == null) {
            row.append("\\N");
        } else if (value instanceof JsonNode node) {
            escaped(row, json || node.isContainerNode() ? node.toString() : node.asText());
        } else if (value instanceof byte[] bytes) {
            row.append("\\\\x");
            for (byte b : bytes) {
                row.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        } else {
            escaped(row, value.toString());
        }
    }

    private static void escaped(StringBuilder row, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> row.append("\\\\");
                case '\n' -> row.append("\\n");
                case '\r' -> row.append("\\r");
                case '\t' -> row.append("\\t");
                default -> row.append(c);
            }
        }
    }
}
