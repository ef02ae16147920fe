package io.jobplane.worker.steps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.jobplane.events.Checksums;

class PackageBytesTest {

    private static final byte[] ZIP = "PK pretend this is a zip".getBytes(StandardCharsets.UTF_8);
    private static final String SHA = Checksums.sha256(ZIP);

    @Test
    void theBytesOfTheRightSizeAndHashAreRead() throws Exception {
        assertArrayEquals(ZIP, PackageBytes.read(new ByteArrayInputStream(ZIP), ZIP.length, SHA, 1024));
    }

    @Test
    void aStreamGoingOnPastTheSizeIsCutOffAndRefused() {
        // An endless stream: whatever a Content-Length said, at most size + 1 bytes are read.
        InputStream endless = new InputStream() {
            long served;

            @Override
            public int read() {
                served++;
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                served += len;
                if (served > 10_000_000) {
                    throw new AssertionError("read far past the size");
                }
                return len;
            }
        };
        PackageBytes.Mismatch e = assertThrows(PackageBytes.Mismatch.class, () -> PackageBytes.read(endless, ZIP.length, SHA, 1024));
        assertTrue(e.getMessage().contains("larger than its " + ZIP.length + " bytes"), e.getMessage());
    }

    @Test
    void otherBytesOfTheSameSizeAreRefused() {
        byte[] other = ZIP.clone();
        other[3] ^= 1;
        assertThrows(PackageBytes.Mismatch.class, () -> PackageBytes.read(new ByteArrayInputStream(other), ZIP.length, SHA, 1024));
    }

    @Test
    void aTransferEndingEarlyIsABrokenTransferNotAMismatch() {
        IOException e = assertThrows(IOException.class,
                () -> PackageBytes.read(new ByteArrayInputStream(ZIP, 0, 5), ZIP.length, SHA, 1024));
        assertFalse(e instanceof PackageBytes.Mismatch, "another try may get it whole");
        assertTrue(e.getMessage().contains("after 5 of its " + ZIP.length + " bytes"), e.getMessage());
    }

    @Test
    void aSizeOutsideTheBoundIsRefusedBeforeReading() {
        assertThrows(PackageBytes.Mismatch.class, () -> PackageBytes.read(new ByteArrayInputStream(ZIP), 0, SHA, 1024));
        assertThrows(PackageBytes.Mismatch.class, () -> PackageBytes.read(new ByteArrayInputStream(ZIP), 2048, SHA, 1024));
    }
}
