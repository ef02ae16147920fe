package io.jobplane.worker.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BoundedLinesTest {

    private final List<String> lines = new ArrayList<>();
    private final List<Boolean> cuts = new ArrayList<>();

    private BoundedLines bounded(int maxLine, long maxBytes) {
        return new BoundedLines(maxLine, maxBytes, (text, cut) -> {
            lines.add(text);
            cuts.add(cut);
        });
    }

    @Test
    void linesAreSplitOnLineBreaksAndALastLineWithoutOneIsKept() throws IOException {
        bounded(100, 1000).read(in("one\r\ntwo\n\nthree"));
        assertEquals(List.of("one", "two", "", "three"), lines);
        assertEquals(List.of(false, false, false, false), cuts);
    }

    @Test
    void aLongLineIsCutWithAMarkerAndTheNextLineIsWhole() throws IOException {
        bounded(10, 1000).read(in("abcdefghijKLMNOP\nnext\n"));
        assertEquals("abcdefghij … [line cut: 16 bytes, at most 10 are logged]", lines.get(0));
        assertEquals("next", lines.get(1));
        assertEquals(List.of(true, false), cuts);
    }

    @Test
    void aTenMegabyteLineNeverHoldsMoreThanTheLimit() throws IOException {
        long size = 10L * 1024 * 1024;
        InputStream endless = new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : (left == -1 ? '\n' : -1);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left < 0) {
                    return -1;
                }
                int n = 0;
                while (n < len && left >= -1) {
                    int c = read();
                    if (c < 0) {
                        break;
                    }
                    b[off + n++] = (byte) c;
                }
                return n == 0 ? -1 : n;
            }
        };
        bounded(16384, 1 << 20).read(endless);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("x".repeat(16384) + " … [line cut: " + size + " bytes"), lines.get(0).substring(16384));
        assertTrue(lines.get(0).length() < 16384 + 100);
    }

    @Test
    void pastTheTotalLinesAreCountedAndSaidOnce() throws IOException {
        bounded(100, 10).read(in("12345\n67890\nmore\nand more\n"));
        assertEquals(List.of("12345", "67890",
                "[output cut: 2 more lines (12 bytes) were not logged; the step's output is limited to 10 bytes]"), lines);
        assertEquals(List.of(false, false, true), cuts);
    }

    @Test
    void aCutInsideAMultiByteCharacterStaysReadable() throws IOException {
        bounded(4, 1000).read(in("ab漢字\n"));
        assertTrue(lines.get(0).startsWith("ab"), lines.get(0));
        assertTrue(lines.get(0).contains("[line cut: 8 bytes"), lines.get(0));
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> bounded(0, 10));
        assertThrows(IllegalArgumentException.class, () -> bounded(10, 0));
    }

    private static InputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
