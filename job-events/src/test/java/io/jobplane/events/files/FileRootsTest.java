package io.jobplane.events.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRootsTest {

    @TempDir
    Path temp;

    @Test
    void noRootAllowsNothing() throws IOException {
        FileRoots none = FileRoots.of(List.of());
        assertTrue(none.isEmpty());
        assertEquals(Optional.empty(), none.rootOf(temp.toRealPath()));
        assertTrue(FileRoots.of(List.of(" ", "")).isEmpty(), "blank entries are no roots");
    }

    @Test
    void aPathUnderARootIsAllowedEvenBeforeItExists() throws IOException {
        Path root = Files.createDirectories(temp.resolve("files"));
        FileRoots roots = FileRoots.of(List.of(root.toString()));
        Path later = root.resolve("tenant/landing/not-yet");
        assertEquals(Optional.of(root.toRealPath()), roots.rootOf(FileRoots.realLocation(later)));
        assertEquals(Optional.of(root.toRealPath()), roots.rootOf(root.toRealPath()), "the root itself is allowed");
    }

    @Test
    void aPathBesideOrAboveTheRootIsRefused() throws IOException {
        Path root = Files.createDirectories(temp.resolve("files"));
        Path beside = Files.createDirectories(temp.resolve("files-other"));
        FileRoots roots = FileRoots.of(List.of(root.toString()));
        assertEquals(Optional.empty(), roots.rootOf(FileRoots.realLocation(beside)), "a shared name prefix is not being below");
        assertEquals(Optional.empty(), roots.rootOf(FileRoots.realLocation(temp)));
        assertEquals(Optional.empty(), roots.rootOf(FileRoots.realLocation(Path.of("/proc/self/environ"))));
        assertEquals(Optional.empty(), roots.rootOf(FileRoots.realLocation(Path.of("/"))));
    }

    @Test
    void aLinkOutOfTheRootIsJudgedByItsTarget() throws IOException {
        Path root = Files.createDirectories(temp.resolve("files"));
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Path link = Files.createSymbolicLink(root.resolve("escape"), outside);
        FileRoots roots = FileRoots.of(List.of(root.toString()));
        assertEquals(outside.toRealPath().resolve("deeper"), FileRoots.realLocation(link.resolve("deeper")));
        assertEquals(Optional.empty(), roots.rootOf(FileRoots.realLocation(link)));
        assertEquals(Optional.empty(), roots.rootOf(FileRoots.realLocation(link.resolve("deeper/still"))));

        Path inside = Files.createDirectories(root.resolve("real"));
        Path friendly = Files.createSymbolicLink(root.resolve("friendly"), inside);
        assertEquals(Optional.of(root.toRealPath()), roots.rootOf(FileRoots.realLocation(friendly)), "a link that stays below is fine");

        Path dangling = Files.createSymbolicLink(root.resolve("dangling"), temp.resolve("nothing"));
        assertThrows(IOException.class, () -> FileRoots.realLocation(dangling.resolve("x")), "a link to nothing could later lead anywhere");
    }

    @Test
    void aRootThatIsALinkIsResolvedToo() throws IOException {
        Path real = Files.createDirectories(temp.resolve("real-root"));
        Path rootLink = Files.createSymbolicLink(temp.resolve("root-link"), real);
        FileRoots roots = FileRoots.of(List.of(rootLink.toString()));
        assertEquals(Optional.of(real.toRealPath()), roots.rootOf(FileRoots.realLocation(real.resolve("a"))));
    }

    @Test
    void relativeRootsAndClimbingPathsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FileRoots.of(List.of("relative/dir")));
        assertThrows(IllegalArgumentException.class, () -> FileRoots.realLocation(Path.of("/a/../etc")));
        assertThrows(IllegalArgumentException.class, () -> FileRoots.realLocation(Path.of("relative")));
    }
}
