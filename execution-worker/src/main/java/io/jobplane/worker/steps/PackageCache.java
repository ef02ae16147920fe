package io.jobplane.worker.steps;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.jobplane.events.Checksums;

/**
 * Verified step packages by their sha256, in a directory of the worker's own (owner-only), at most
 * {@code maxBytes} of them: past it the least recently used are deleted. A package is checked
 * against its hash again when it is read, so a file changed on disk is dropped, never run. A
 * directory left by an earlier process is taken over, oldest files first in line for eviction.
 */
final class PackageCache {

    private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}\\.zip");

    private final Path dir;
    private final long maxBytes;
    /** sha256 → size, least recently used first. */
    private final LinkedHashMap<String, Long> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long total;

    PackageCache(Path dir, long maxBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to tighten
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(found::add);
        }
        found.sort(Comparator.comparing(PackageCache::modified));
        for (Path file : found) {
            String name = file.getFileName().toString();
            if (NAME.matcher(name).matches() && Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                long size = Files.size(file);
                entries.put(name.substring(0, 64), size);
                total += size;
            } else {
                Files.deleteIfExists(file); // a write cut short, or something that is not ours
            }
        }
        evict();
    }

    /** The package's bytes when they are here and still match their hash; null otherwise. */
    synchronized byte[] get(String sha256) {
        if (entries.get(sha256) == null) { // get, not containsKey: it marks the entry used
            return null;
        }
        Path file = file(sha256);
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (Checksums.sha256(bytes).equals(sha256)) {
                return bytes;
            }
        } catch (IOException e) {
            // gone or unreadable: fetched again
        }
        remove(sha256);
        return null;
    }

    /** Keeps verified bytes under their hash (not when larger than the whole bound), evicting the least recently used. */
    synchronized void put(String sha256, byte[] bytes) throws IOException {
        if (bytes.length > maxBytes || entries.containsKey(sha256)) {
            return;
        }
        Path part = Files.createTempFile(dir, sha256, ".part");
        try {
            Files.write(part, bytes);
            try {
                Files.move(part, file(sha256), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, file(sha256), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(part);
        }
        entries.put(sha256, (long) bytes.length);
        total += bytes.length;
        evict();
    }

    /** The hashes held, least recently used first. */
    synchronized List<String> hashes() {
        return List.copyOf(entries.keySet());
    }

    synchronized long bytes() {
        return total;
    }

    Path dir() {
        return dir;
    }

    private void evict() throws IOException {
        var eldest = entries.entrySet().iterator();
        while (total > maxBytes && eldest.hasNext()) {
            Map.Entry<String, Long> e = eldest.next();
            eldest.remove();
            total -= e.getValue();
            Files.deleteIfExists(file(e.getKey()));
        }
    }

    private void remove(String sha256) {
        Long size = entries.remove(sha256);
        if (size != null) {
            total -= size;
        }
        try {
            Files.deleteIfExists(file(sha256));
        } catch (IOException e) {
            // left for the next start to clean up
        }
    }

    private Path file(String sha256) {
        return dir.resolve(sha256 + ".zip");
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
