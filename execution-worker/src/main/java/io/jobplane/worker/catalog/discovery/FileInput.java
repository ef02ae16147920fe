package io.jobplane.worker.catalog.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * One data file opened for reading (through its folder, without following links), its size as
 * listed, and the run's read budget: every read first takes the bytes it asks for from the budget.
 */
final class FileInput {

    /** The run's bytes: {@link Limits#maxBytesRead()} in all. */
    static final class Budget {
        private final long max;
        private long used;

        Budget(long max) {
            this.max = max;
        }

        void take(long bytes) {
            if (used + bytes > max) {
                throw new Exceeded(max);
            }
            used += bytes;
        }

        long used() {
            return used;
        }
    }

    /** The run's read budget is spent: the run fails ({@link DiscoveryException.Code#BYTES_LIMIT}). */
    static final class Exceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exceeded(long max) {
            super("the discovery would read more than " + max + " bytes in all (its bound)", null, false, false);
        }
    }

    final SeekableByteChannel channel;
    final long size;
    final String name;
    private final Budget budget;

    FileInput(SeekableByteChannel channel, long size, String name, Budget budget) {
        this.channel = channel;
        this.size = size;
        this.name = name;
        this.budget = budget;
    }

    /** {@code length} bytes at {@code position}; a file shorter than that is unreadable. */
    byte[] read(long position, int length) throws IOException, UnreadableFileException {
        if (position < 0 || length < 0 || position + length > size) {
            throw new UnreadableFileException("is shorter than its own structure says");
        }
        budget.take(length);
        ByteBuffer buffer = ByteBuffer.allocate(length);
        channel.position(position);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new UnreadableFileException("ended early (changed while read?)");
            }
        }
        return buffer.array();
    }

    /** Up to {@code max} bytes of the file from its start, as a stream that ends there. */
    Bounded stream(long max) throws IOException {
        long allowed = Math.min(size, max);
        budget.take(allowed);
        channel.position(0);
        return new Bounded(channel, allowed);
    }

    /** A stream over the channel that ends after {@code left} bytes; {@link #hitBound()} tells whether it stopped there. */
    static final class Bounded extends InputStream {
        private final SeekableByteChannel channel;
        private long left;

        Bounded(SeekableByteChannel channel, long left) {
            this.channel = channel;
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left <= 0) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        /** Whether the stream ended at its bound with more of the file left unread. */
        boolean hitBound() throws IOException {
            return left <= 0 && channel.position() < channel.size();
        }
    }
}
