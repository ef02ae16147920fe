package io.jobplane.worker.catalog.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class StorageFormatsTest {

    private static final String TEXT = "org.apache.hadoop.mapred.TextInputFormat";

    @Test
    void hiveStorageFormatsHaveTheirShortNames() {
        assertEquals("PARQUET", StorageFormats.shortName("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"));
        assertEquals("ORC", StorageFormats.shortName("org.apache.hadoop.hive.ql.io.orc.OrcInputFormat", "org.apache.hadoop.hive.ql.io.orc.OrcSerde"));
        assertEquals("AVRO", StorageFormats.shortName("org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
                "org.apache.hadoop.hive.serde2.avro.AvroSerDe"));
        assertEquals("CSV", StorageFormats.shortName(TEXT, "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"));
        assertEquals("CSV", StorageFormats.shortName(TEXT, "org.apache.hadoop.hive.serde2.OpenCSVSerde"));
        assertEquals("JSON", StorageFormats.shortName(TEXT, "org.apache.hive.hcatalog.data.JsonSerDe"));
    }

    @Test
    void otherFormatsAreNamedByTheirInputFormatAndViewsByNone() {
        assertEquals("SequenceFileInputFormat", StorageFormats.shortName("org.apache.hadoop.mapred.SequenceFileInputFormat",
                "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"));
        assertEquals("TextInputFormat", StorageFormats.shortName(TEXT, "org.apache.hadoop.hive.serde2.RegexSerDe"));
        assertNull(StorageFormats.shortName(null, null));
        assertNull(StorageFormats.shortName("", null));
    }
}
