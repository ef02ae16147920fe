package io.jobplane.worker.steps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobplane.events.Checksums;

class PackageCacheTest {

    @TempDir
    Path temp;

    private static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void keepsVerifiedPackagesByHashInAnOwnerOnlyDirectory() throws Exception {
        Path dir = temp.resolve("cache");
        PackageCache cache = new PackageCache(dir, 1000);
        byte[] a = bytes(100, 1);
        String sha = Checksums.sha256(a);
        assertNull(cache.get(sha));
        cache.put(sha, a);
        assertArrayEquals(a, cache.get(sha));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertTrue(Files.exists(dir.resolve(sha + ".zip")));
    }

    @Test
    void pastTheBoundTheLeastRecentlyUsedAreEvicted() throws Exception {
        PackageCache cache = new PackageCache(temp.resolve("cache"), 250);
        byte[] a = bytes(100, 1);
        byte[] b = bytes(100, 2);
        byte[] c = bytes(100, 3);
        String sa = Checksums.sha256(a);
        String sb = Checksums.sha256(b);
        String sc = Checksums.sha256(c);
        cache.put(sa, a);
        cache.put(sb, b);
        cache.get(sa); // a is used again: b is now the least recently used
        cache.put(sc, c);
        assertEquals(List.of(sa, sc), cache.hashes());
        assertEquals(200, cache.bytes());
        assertNull(cache.get(sb));
        assertFalse(Files.exists(temp.resolve("cache").resolve(sb + ".zip")), "the evicted file is deleted");
        cache.put(Checksums.sha256(bytes(300, 4)), bytes(300, 4));
        assertEquals(List.of(sa, sc), cache.hashes(), "a package larger than the whole bound is not kept");
        PackageCache none = new PackageCache(temp.resolve("none"), 0);
        none.put(sa, a);
        assertNull(none.get(sa), "a bound of 0 keeps nothing");
    }

    @Test
    void aFileChangedOnDiskIsDroppedNotReturned() throws Exception {
        Path dir = temp.resolve("cache");
        PackageCache cache = new PackageCache(dir, 1000);
        byte[] a = bytes(100, 1);
        String sha = Checksums.sha256(a);
        cache.put(sha, a);
        Files.write(dir.resolve(sha + ".zip"), bytes(100, 9));
        assertNull(cache.get(sha));
        assertEquals(List.of(), cache.hashes());
        assertFalse(Files.exists(dir.resolve(sha + ".zip")));
    }

    @Test
    void aDirectoryOfAnEarlierProcessIsTakenOverAndItsLeftoversCleared() throws Exception {
        Path dir = temp.resolve("cache");
        PackageCache first = new PackageCache(dir, 1000);
        byte[] a = bytes(100, 1);
        byte[] b = bytes(100, 2);
        first.put(Checksums.sha256(a), a);
        first.put(Checksums.sha256(b), b);
        Files.write(dir.resolve("half-written.part"), new byte[10]);
        Files.setLastModifiedTime(dir.resolve(Checksums.sha256(a) + ".zip"), java.nio.file.attribute.FileTime.fromMillis(1_000));
        PackageCache again = new PackageCache(dir, 150);
        assertFalse(Files.exists(dir.resolve("half-written.part")));
        assertEquals(List.of(Checksums.sha256(b)), again.hashes(), "over the new bound, the oldest file went first");
        assertArrayEquals(b, again.get(Checksums.sha256(b)));
    }
}
