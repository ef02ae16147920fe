package io.jobplane.worker.steps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a step's output stream into lines without ever holding more than one bounded line: a
 * line longer than {@code maxLineBytes} is cut there (the rest of it is read and counted, not
 * kept) and handed on with a marker saying how long it was; once {@code maxBytes} were handed on,
 * later lines are only counted and one closing line says how much was left out. The stream is
 * always read to its end, so a step never blocks on a full pipe.
 */
public final class BoundedLines {

    /** Receives each line (without its line break). */
    @FunctionalInterface
    public interface Sink {
        void line(String text, boolean cut);
    }

    private final int maxLineBytes;
    private final long maxBytes;
    private final Sink sink;

    private final ByteArrayOutputStream line;
    private long lineBytes;
    private long handedOn;
    private long leftOutBytes;
    private long leftOutLines;

    public BoundedLines(int maxLineBytes, long maxBytes, Sink sink) {
        if (maxLineBytes < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxLineBytes = maxLineBytes;
        this.maxBytes = maxBytes;
        this.sink = sink;
        this.line = new ByteArrayOutputStream(Math.min(maxLineBytes, 8192));
    }

    /** Reads the stream to its end. */
    public void read(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0;) {
            accept(buffer, 0, n);
        }
        finish();
    }

    /** Takes the next bytes of the stream. */
    public void accept(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                endLine();
            } else {
                if (lineBytes < maxLineBytes) {
                    line.write(b);
                }
                lineBytes++;
            }
        }
    }

    /** The end of the stream: a last line without a line break is handed on, then what was left out is said. */
    public void finish() {
        if (lineBytes > 0) {
            endLine();
        }
        if (leftOutLines > 0) {
            sink.line("[output cut: " + leftOutLines + " more lines (" + leftOutBytes + " bytes) were not logged; the step's"
                    + " output is limited to " + maxBytes + " bytes]", true);
            leftOutLines = 0;
            leftOutBytes = 0;
        }
    }

    private void endLine() {
        long length = lineBytes;
        byte[] kept = line.toByteArray();
        line.reset();
        lineBytes = 0;
        if (handedOn >= maxBytes) {
            leftOutLines++;
            leftOutBytes += length;
            return;
        }
        handedOn += kept.length;
        boolean cut = length > maxLineBytes;
        int n = kept.length;
        if (!cut && n > 0 && kept[n - 1] == '\r') {
            n--;
        }
        String text = new String(kept, 0, n, StandardCharsets.UTF_8);
        if (cut) {
            sink.line(text + " … [line cut: " + length + " bytes, at most " + maxLineBytes + " are logged]", true);
        } else {
            sink.line(text, false);
        }
    }
}
