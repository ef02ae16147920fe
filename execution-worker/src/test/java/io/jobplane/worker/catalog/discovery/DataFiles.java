package io.jobplane.worker.catalog.discovery;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.orc.CompressionKind;
import org.apache.orc.OrcFile;
import org.apache.orc.TypeDescription;
import org.apache.orc.Writer;
import org.apache.orc.storage.ql.exec.vector.LongColumnVector;
import org.apache.orc.storage.ql.exec.vector.VectorizedRowBatch;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

import io.jobplane.events.payload.catalog.CatalogChange;

/** Data files written by each format's own writer, for the discovery tests. */
final class DataFiles {

    static final CatalogChange.Origin ORIGIN = new CatalogChange.Origin("ws", "job-1", "run-1", 1, Instant.parse("2026-01-01T00:00:00Z"));

    private DataFiles() {
    }

    /** A Parquet file of {@code rows} rows with only {@code id} (a required INT64 or INT32) set, the rest null. */
    static Path parquet(Path file, String schemaText, CompressionCodecName codec, int rows) throws IOException {
        return parquet(file, schemaText, codec, rows, (g, i) -> {
        });
    }

    interface RowFiller {
        void fill(Group group, int row);
    }

    static Path parquet(Path file, String schemaText, CompressionCodecName codec, int rows, RowFiller filler) throws IOException {
        Files.createDirectories(file.getParent());
        MessageType schema = MessageTypeParser.parseMessageType(schemaText);
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema)
                .withConf(new PlainParquetConfiguration()).withCompressionCodec(codec).build()) {
            for (int i = 0; i < rows; i++) {
                Group g = groups.newGroup();
                filler.fill(g, i);
                writer.write(g);
            }
        }
        return file;
    }

    /** A small Parquet file: {@code message m { <columns> }}, one row with nothing set (all columns optional). */
    static Path parquetColumns(Path file, String columns) throws IOException {
        return parquet(file, "message m { " + columns + " }", CompressionCodecName.UNCOMPRESSED, 1);
    }

    /** An ORC file with ORC's writer (through a raw local file system: no Hadoop services), its first column a long set per row. */
    static Path orc(Path file, String schemaText, CompressionKind compression, int rows) throws IOException {
        Files.createDirectories(file.getParent());
        TypeDescription schema = TypeDescription.fromString(schemaText);
        Configuration conf = new Configuration(false);
        RawLocalFileSystem fs = new RawLocalFileSystem();
        fs.initialize(URI.create("file:///"), conf);
        try (Writer writer = OrcFile.createWriter(new org.apache.hadoop.fs.Path(file.toString()),
                OrcFile.writerOptions(conf).fileSystem(fs).setSchema(schema).compress(compression))) {
            VectorizedRowBatch batch = schema.createRowBatch();
            for (int i = 0; i < rows; i++) {
                int row = batch.size++;
                for (int c = 1; c < batch.cols.length; c++) {
                    batch.cols[c].noNulls = false;
                    batch.cols[c].isNull[row] = true;
                }
                ((LongColumnVector) batch.cols[0]).vector[row] = i;
                if (batch.size == batch.getMaxSize()) {
                    writer.addRowBatch(batch);
                    batch.reset();
                }
            }
            if (batch.size > 0) {
                writer.addRowBatch(batch);
            }
        }
        return file;
    }

    /** An Avro container file with Avro's writer. */
    static Path avro(Path file, String schemaJson, CodecFactory codec, List<Map<String, Object>> records) throws IOException {
        return avro(file, new Schema.Parser().parse(schemaJson), codec, records);
    }

    static Path avro(Path file, Schema schema, CodecFactory codec, List<Map<String, Object>> records) throws IOException {
        Files.createDirectories(file.getParent());
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
            writer.setCodec(codec);
            writer.create(schema, file.toFile());
            for (Map<String, Object> values : records) {
                GenericRecord record = new GenericData.Record(schema);
                values.forEach(record::put);
                writer.append(record);
            }
        }
        return file;
    }

    static Path text(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    static Path touch(Path file, Instant modified) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    static DiscoveryOptions options(int tableDepth) {
        return new DiscoveryOptions(FileFormat.of("ALL"), CsvOptions.DEFAULTS, 100, tableDepth, null, "hive", "landing", "ana",
                CatalogChange.Conflict.UPSERT, Limits.DEFAULTS);
    }

    /** The options with one thing changed. */
    static DiscoveryOptions with(DiscoveryOptions o, Consumer<Builder> change) {
        Builder b = new Builder(o);
        change.accept(b);
        return b.build();
    }

    static final class Builder {
        java.util.Set<FileFormat> formats;
        CsvOptions csv;
        int sampleRate;
        int tableDepth;
        Instant changedSince;
        Limits limits;
        private final DiscoveryOptions o;

        Builder(DiscoveryOptions o) {
            this.o = o;
            formats = o.formats();
            csv = o.csv();
            sampleRate = o.sampleRatePercent();
            tableDepth = o.tableDepth();
            changedSince = o.changedSince();
            limits = o.limits();
        }

        DiscoveryOptions build() {
            return new DiscoveryOptions(formats, csv, sampleRate, tableDepth, changedSince, o.catalog(), o.database(), o.owner(),
                    o.conflict(), limits);
        }
    }
}
