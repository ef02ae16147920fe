package io.jobplane.worker.catalog.hive;

import java.util.Locale;

/**
 * The short format name of a Hive table ({@code CatalogChange.Table.format}) from its input format
 * and SerDe: {@code PARQUET}, {@code ORC}, {@code AVRO}, {@code JSON}, {@code CSV} (delimited text:
 * {@code TextInputFormat} with {@code LazySimpleSerDe} or {@code OpenCSVSerde}), else the simple class
 * name of the input format ({@code SequenceFileInputFormat}); null without an input format (a view).
 */
final class StorageFormats {

    private StorageFormats() {
    }

    static String shortName(String inputFormat, String serdeLibrary) {
        String input = inputFormat == null ? "" : inputFormat.strip();
        String serde = serdeLibrary == null ? "" : serdeLibrary.strip().toLowerCase(Locale.ROOT);
        String in = input.toLowerCase(Locale.ROOT);
        if (in.contains("parquet") || serde.contains("parquet")) {
            return "PARQUET";
        }
        if (in.endsWith("orcinputformat") || serde.endsWith("orcserde")) {
            return "ORC";
        }
        if (in.contains("avro") || serde.contains("avro")) {
            return "AVRO";
        }
        if (input.isEmpty()) {
            return null;
        }
        boolean text = in.equals("org.apache.hadoop.mapred.textinputformat");
        if (text && serde.contains("json")) {
            return "JSON";
        }
        if (text && (serde.endsWith("opencsvserde") || serde.endsWith("lazysimpleserde") || serde.isEmpty())) {
            return "CSV";
        }
        int dot = input.lastIndexOf('.');
        return dot >= 0 ? input.substring(dot + 1) : input;
    }
}
