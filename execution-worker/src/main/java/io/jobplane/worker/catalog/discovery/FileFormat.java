package io.jobplane.worker.catalog.discovery;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The data file formats a discovery reads, each with the Hive classes a table of it is read with.
 * CSV gets its SerDe from its {@link CsvOptions} (quoted or not).
 */
public enum FileFormat {
    PARQUET("parquet", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"),
    ORC("orc", "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat", "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat",
            "org.apache.hadoop.hive.ql.io.orc.OrcSerde"),
    AVRO("avro", "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
            "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat", "org.apache.hadoop.hive.serde2.avro.AvroSerDe"),
    CSV("csv", Text.INPUT, Text.OUTPUT, null),
    JSON("json", Text.INPUT, Text.OUTPUT, "org.apache.hadoop.hive.serde2.JsonSerDe");

    private static final class Text {
        static final String INPUT = "org.apache.hadoop.mapred.TextInputFormat";
        static final String OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
    }

    private final String classification;
    private final String inputFormat;
    private final String outputFormat;
    private final String serde;

    FileFormat(String classification, String inputFormat, String outputFormat, String serde) {
        this.classification = classification;
        this.inputFormat = inputFormat;
        this.outputFormat = outputFormat;
        this.serde = serde;
    }

    /** The table parameter {@code classification}: the format's name in lower case. */
    public String classification() {
        return classification;
    }

    public String inputFormat() {
        return inputFormat;
    }

    public String outputFormat() {
        return outputFormat;
    }

    /** The SerDe class; null for CSV, whose SerDe depends on its quoting. */
    String serde() {
        return serde;
    }

    /**
     * The formats a {@code file_discovery_type} names: {@code PARQUET}, {@code ORC}, {@code AVRO},
     * {@code CSV}, {@code JSON} (any case), or {@code ALL} for every format.
     */
    public static Set<FileFormat> of(String fileDiscoveryType) {
        String type = fileDiscoveryType == null ? "" : fileDiscoveryType.trim().toUpperCase(Locale.ROOT);
        if (type.equals("ALL")) {
            return EnumSet.allOf(FileFormat.class);
        }
        for (FileFormat format : values()) {
            if (format.name().equals(type)) {
                return EnumSet.of(format);
            }
        }
        throw new IllegalArgumentException("file_discovery_type '" + fileDiscoveryType + "' is none of PARQUET, ORC, AVRO, CSV, JSON, ALL");
    }

    /** Whether a file is gzip-compressed text ({@code .csv.gz}, {@code .json.gz}, …). */
    static boolean gzipped(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    /**
     * The format a file name's extension says (case ignored; a {@code .gz} after a CSV or JSON
     * extension is allowed), or null when the extension names none (the file is then sniffed).
     */
    static FileFormat byExtension(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".parquet")) {
            return PARQUET;
        }
        if (lower.endsWith(".orc")) {
            return ORC;
        }
        if (lower.endsWith(".avro")) {
            return AVRO;
        }
        if (lower.endsWith(".gz")) {
            lower = lower.substring(0, lower.length() - 3);
        }
        if (lower.endsWith(".csv") || lower.endsWith(".tsv")) {
            return CSV;
        }
        if (lower.endsWith(".json") || lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
            return JSON;
        }
        return null;
    }

    /** The format the first bytes of a file show ({@code PAR1}, {@code ORC}, {@code Obj\1}), or null. */
    static FileFormat byMagic(byte[] head, int length) {
        if (length >= 4 && head[0] == 'P' && head[1] == 'A' && head[2] == 'R' && head[3] == '1') {
            return PARQUET;
        }
        if (length >= 4 && head[0] == 'O' && head[1] == 'b' && head[2] == 'j' && head[3] == 1) {
            return AVRO;
        }
        if (length >= 3 && head[0] == 'O' && head[1] == 'R' && head[2] == 'C') {
            return ORC;
        }
        return null;
    }
}
