package io.jobplane.worker.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobplane.events.files.FileRoots;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.sql.PathPattern;

/** The worker's path checks on real files and links in the temp folder. */
class BaseDirectoryTest {

    @TempDir
    Path temp;
    private Path root;
    private Path outside;
    private FileRoots roots;

    @BeforeEach
    void folders() throws IOException {
        root = Files.createDirectories(temp.resolve("root")).toRealPath();
        outside = Files.createDirectories(temp.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("secret.csv"), "password\nhunter2\n");
        roots = FileRoots.of(List.of(root.toString()));
    }

    @Test
    void aBasePathMustBeUnderARoot() throws Exception {
        FileTaskException none = assertThrows(FileTaskException.class,
                () -> BaseDirectory.open("source", folder(root), FileRoots.of(List.of())));
        assertEquals(BaseDirectory.NOT_ALLOWED, none.code());
        assertTrue(none.getMessage().contains("jobplane.worker.files.roots"), none.getMessage());

        for (Path refused : List.of(outside, Path.of("/"), Path.of("/proc/self"), temp)) {
            FileTaskException e = assertThrows(FileTaskException.class, () -> BaseDirectory.open("source", folder(refused), roots),
                    refused.toString());
            assertEquals(BaseDirectory.NOT_ALLOWED, e.code(), refused.toString());
        }
        Path linked = Files.createSymbolicLink(root.resolve("linked"), outside);
        FileTaskException link = assertThrows(FileTaskException.class, () -> BaseDirectory.open("source", folder(linked), roots));
        assertEquals(BaseDirectory.NOT_ALLOWED, link.code());
        assertTrue(link.getMessage().contains("leads through a link elsewhere"), link.getMessage());

        Path tenant = Files.createDirectories(root.resolve("tenant"));
        assertEquals("source", BaseDirectory.open("source", folder(tenant), roots).role());
    }

    @Test
    void aFileLinkedOutOfTheBaseIsRefusedAndOneInsideIsRead() throws Exception {
        Path base = Files.createDirectories(root.resolve("base"));
        Files.createSymbolicLink(base.resolve("secret.csv"), outside.resolve("secret.csv"));
        Files.createSymbolicLink(base.resolve("environ.csv"), Path.of("/proc/self/environ"));
        Files.writeString(base.resolve("plain.csv"), "a\n1\n");
        Files.createSymbolicLink(base.resolve("alias.csv"), base.resolve("plain.csv"));
        BaseDirectory dir = BaseDirectory.open("source", folder(base), roots);

        for (String name : List.of("secret.csv", "environ.csv")) {
            FileTaskException e = assertThrows(FileTaskException.class, () -> dir.find(literal(name)), name);
            assertTrue(e.getMessage().contains("is a link to a place outside"), e.getMessage());
        }
        FileTaskException glob = assertThrows(FileTaskException.class, () -> dir.find(glob("*.csv")));
        assertTrue(glob.getMessage().contains("link to a place outside"), glob.getMessage());

        List<BaseDirectory.Found> alias = dir.find(literal("alias.csv"));
        assertEquals(base.resolve("plain.csv"), alias.get(0).real());
        assertEquals("a\n1\n", content(dir.read(alias.get(0))));
    }

    @Test
    void aLinkPlantedAfterTheFileWasFoundIsNotFollowedOut() throws Exception {
        Path base = Files.createDirectories(root.resolve("base"));
        Path sub = Files.createDirectories(base.resolve("sub"));
        Files.writeString(sub.resolve("data.csv"), "a\n1\n");
        BaseDirectory dir = BaseDirectory.open("source", folder(base), roots);
        BaseDirectory.Found found = dir.find(literal("sub/data.csv")).get(0);

        // The directory is swapped for a link to a folder holding a file of the same name.
        Files.writeString(outside.resolve("data.csv"), "stolen\n");
        Files.delete(sub.resolve("data.csv"));
        Files.delete(sub);
        Files.createSymbolicLink(sub, outside);
        FileTaskException e = assertThrows(FileTaskException.class, () -> dir.read(found));
        assertTrue(e.getMessage().contains("link to a place outside"), e.getMessage());

        // And the file itself swapped for a link.
        Files.delete(sub);
        Files.createDirectories(sub);
        Files.createSymbolicLink(sub.resolve("data.csv"), outside.resolve("data.csv"));
        FileTaskException file = assertThrows(FileTaskException.class, () -> dir.read(found));
        assertTrue(file.getMessage().contains("link to a place outside"), file.getMessage());
    }

    @Test
    void directoriesAreMadeOnlyBelowTheBaseAndNotThroughLinksOut() throws Exception {
        Path base = Files.createDirectories(root.resolve("base"));
        Files.createSymbolicLink(base.resolve("elsewhere"), outside);
        BaseDirectory dir = BaseDirectory.open("destination", folder(base), roots);

        FileTaskException e = assertThrows(FileTaskException.class, () -> dir.directory("elsewhere/deeper"));
        assertTrue(e.getMessage().contains("link to a place outside"), e.getMessage());
        assertFalse(Files.exists(outside.resolve("deeper")), "nothing is made before the check");
        assertThrows(FileTaskException.class, () -> dir.directory("../escape"));

        try (BaseDirectory.Dir made = dir.directory("a/b/c")) {
            assertEquals(base.resolve("a/b/c"), made.path());
            try (SeekableByteChannel out = made.create(Path.of("new.txt"))) {
                out.write(ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));
            }
            Files.createSymbolicLink(base.resolve("a/b/c/link.txt"), outside.resolve("secret.csv"));
            assertThrows(IOException.class, () -> made.create(Path.of("link.txt")), "a link is never written through");
            assertThrows(IOException.class, () -> made.read(Path.of("link.txt")), "nor read through");
        }
        assertEquals("x", Files.readString(base.resolve("a/b/c/new.txt")));
        assertEquals("password\nhunter2\n", Files.readString(outside.resolve("secret.csv")));
    }

    private static String content(SeekableByteChannel channel) throws IOException {
        try (channel) {
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            while (channel.read(buffer) > 0) {
                // fill
            }
            buffer.flip();
            return StandardCharsets.UTF_8.decode(buffer).toString();
        }
    }

    private static PathPattern.Resolved literal(String path) throws PathPattern.PathException {
        return PathPattern.parse(path).resolve(Map.of());
    }

    private static PathPattern.Resolved glob(String path) throws PathPattern.PathException {
        return PathPattern.parse(path).resolve(Map.of());
    }

    private static ConnectionSpec folder(Path base) {
        return new ConnectionSpec("c", "filesystem", null, null, null, base.toString(), null, null, null);
    }
}
