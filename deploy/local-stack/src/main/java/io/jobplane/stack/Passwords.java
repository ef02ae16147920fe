package io.jobplane.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Generated passwords of the local platform's own parts (the PostgreSQL superuser and service
 * role, the Kafka users), each kept in a file of its own, readable by the owner only, next to the
 * dev keys. Made once, read at every start; delete a file (and run {@code up}) to rotate it.
 */
public final class Passwords {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    /** The password in {@code dir/name.password}, generated first if the file is missing. */
    public static synchronized String ensure(Path dir, String name) {
        Path file = file(dir, name);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                Path partial = dir.resolve(name + ".password.new");
                Files.deleteIfExists(partial);
                Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(partial, generate() + "\n");
                Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            String password = Files.readString(file).trim();
            if (!password.matches("[A-Za-z0-9_-]{16,}")) {
                throw new StackException(file + " does not hold a generated password; delete it to make a new one");
            }
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    /** True when the password file exists. */
    public static boolean exists(Path dir, String name) {
        return Files.exists(file(dir, name));
    }

    public static Path file(Path dir, String name) {
        return dir.resolve(name + ".password");
    }

    /**
     * 32 random bytes as base64url: letters, digits, '-' and '_' only, so the value is safe inside
     * SQL string literals and JAAS configuration without escaping.
     */
    static String generate() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
