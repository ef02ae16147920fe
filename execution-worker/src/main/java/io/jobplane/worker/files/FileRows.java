package io.jobplane.worker.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;

import io.jobplane.events.sql.FolderLoadStatement;

/**
 * The rows of one data file, column by column. A value is null, a {@code String}, a Jackson
 * {@code JsonNode} (JSON lines, nested Parquet values), a {@code byte[]} (binary) or another
 * object whose {@code toString} PostgreSQL reads as the column's type (numbers, dates, times).
 */
public interface FileRows extends Closeable {

    /** A column of the file, with the PostgreSQL type a table made from it gets. */
    record FileColumn(String name, String type, boolean notNull) {
    }

    List<FileColumn> columns();

    /** The next row, one value per column; null after the last. */
    Object[] next() throws IOException, FileTaskException;

    /** Where the row last returned stands, for messages ("record 12", "line 7"). */
    String position();

    /** Opens the file afresh for each pass over it (JSON lines are read twice: once for their columns). */
    @FunctionalInterface
    interface Opener {
        SeekableByteChannel open() throws IOException, FileTaskException;
    }

    static FileRows open(FolderLoadStatement statement, Opener file, String shown) throws IOException, FileTaskException {
        return switch (statement.format()) {
            case CSV -> new CsvRows(statement, file, shown);
            case JSONL -> new JsonLinesRows(file, shown);
            case PARQUET -> new ParquetRows(file, shown);
        };
    }

    /** The file does not hold what its format says; never retried, the message names the place. */
    static FileTaskException malformed(String shown, String where, String what) {
        return new FileTaskException("'" + shown + "'" + (where == null ? "" : " " + where) + ": " + what, false);
    }
}
