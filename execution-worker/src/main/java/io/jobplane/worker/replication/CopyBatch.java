package io.jobplane.worker.replication;

import java.sql.SQLException;
import java.util.Arrays;

import org.postgresql.copy.CopyIn;

/**
 * Rows in COPY's text format gathered into one write to the destination: {@code batch_size} rows,
 * written early once they reach 8 MiB.
 */
public final class CopyBatch {

    private static final int BUFFER = 1 << 16;
    /** A batch is written early when it reaches this size, whatever {@code batch_size} says. */
    private static final int MAX_BATCH_BYTES = 8 << 20;

    private final CopyIn in;
    private final int size;
    private byte[] buffer = new byte[BUFFER];
    private int fill;
    private int count;

    public CopyBatch(CopyIn in, int batchSize) {
        this.in = in;
        this.size = Math.max(1, batchSize);
    }

    /** Adds a row; true when that completed a batch, which was written. */
    public boolean add(byte[] row) throws SQLException {
        return add(row, row.length);
    }

    /** Adds the first {@code length} bytes of {@code row}; true when that completed a batch, which was written. */
    public boolean add(byte[] row, int length) throws SQLException {
        if (fill + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, fill + length));
        }
        System.arraycopy(row, 0, buffer, fill, length);
        fill += length;
        if (++count < size && fill < MAX_BATCH_BYTES) {
            return false;
        }
        flush();
        return true;
    }

    public void flush() throws SQLException {
        if (fill > 0) {
            in.writeToCopy(buffer, 0, fill);
        }
        fill = 0;
        count = 0;
    }
}
