package io.jobplane.worker.steps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads a step package's bytes as they arrive and holds them to what the launch command says:
 * never more than its size (whatever a Content-Length claimed, the stream is cut one byte past it),
 * exactly that size, and that sha256. Pure: any stream.
 */
final class PackageBytes {

    /** The bytes do not match the package asked for: no retry can mend it. */
    static final class Mismatch extends IOException {
        Mismatch(String message) {
            super(message);
        }
    }

    private PackageBytes() {
    }

    /**
     * The package's bytes, read from {@code in} up to {@code sizeBytes}; a stream that ends early
     * fails with an {@link IOException} (a broken transfer, worth another try), one that goes on past
     * it or whose hash differs with a {@link Mismatch}.
     */
    static byte[] read(InputStream in, long sizeBytes, String sha256, long maxBytes) throws IOException {
        if (sizeBytes <= 0 || sizeBytes > maxBytes) {
            throw new Mismatch("the package's size " + sizeBytes + " is not between 1 and " + maxBytes + " bytes");
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) sizeBytes);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer, 0, (int) Math.min(buffer.length, sizeBytes + 1 - total))) > 0;) {
            total += n;
            if (total > sizeBytes) {
                throw new Mismatch("the package sent is larger than its " + sizeBytes + " bytes");
            }
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
        }
        if (total < sizeBytes) {
            throw new IOException("the package's transfer ended after " + total + " of its " + sizeBytes + " bytes");
        }
        String got = HexFormat.of().formatHex(digest.digest());
        if (!got.equals(sha256)) {
            throw new Mismatch("the package sent does not match its sha256 " + sha256 + " (got " + got + ")");
        }
        return out.toByteArray();
    }
}
