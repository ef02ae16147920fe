package io.jobplane.worker.catalog.discovery;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The sample of a CSV or JSON file: its first {@link Limits#maxSampleBytes()} bytes (decompressed
 * ones for {@code .gz}, and no more than that many compressed ones), as UTF-8 text; malformed
 * UTF-8 reads as U+FFFD. {@link #complete()} tells whether the text is the whole file.
 */
final class TextSamples implements AutoCloseable {

    private final FileInput.Bounded raw;
    private final Counted text;
    final Reader reader;

    TextSamples(FileInput file, boolean gzip, Limits limits) throws IOException, UnreadableFileException {
        raw = file.stream(limits.maxSampleBytes());
        InputStream in = new BufferedInputStream(raw, 64 * 1024);
        if (gzip) {
            try {
                in = new GZIPInputStream(in, 64 * 1024);
            } catch (IOException e) {
                throw new UnreadableFileException("is not gzip-compressed (" + e.getMessage() + ")");
            }
        }
        text = new Counted(in, limits.maxSampleBytes());
        reader = new InputStreamReader(text, StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    /** Whether the sample stopped at a bound with more of the file unread. */
    boolean truncated() throws IOException {
        return text.hitBound || raw.hitBound();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** A stream that ends after {@code left} bytes, noting when it stopped there with more to come. */
    private static final class Counted extends InputStream {
        private final InputStream in;
        private long left;
        boolean hitBound;

        Counted(InputStream in, long left) {
            this.in = in;
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
                if (!hitBound && in.read() >= 0) {
                    hitBound = true;
                }
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
