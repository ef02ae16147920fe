package io.jobplane.events.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directories an installation lets {@code filesystem} connections use. A base path is allowed
 * only when its real location — every symbolic link on the way resolved — is one of the roots or
 * below one (also resolved). No roots configured means no base path is allowed. Both job-api
 * (when a connection is saved) and the worker (when a run opens it) ask the same question.
 */
public final class FileRoots {

    private final List<Path> configured;

    private FileRoots(List<Path> configured) {
        this.configured = configured;
    }

    /** The roots as configured; blank entries are ignored, relative ones refused. */
    public static FileRoots of(List<String> roots) {
        List<Path> paths = new ArrayList<>();
        for (String root : roots == null ? List.<String>of() : roots) {
            if (root == null || root.isBlank()) {
                continue;
            }
            Path p = Path.of(root.strip());
            if (!p.isAbsolute()) {
                throw new IllegalArgumentException("file root '" + root + "' is not an absolute path");
            }
            paths.add(p.normalize());
        }
        return new FileRoots(List.copyOf(paths));
    }

    public boolean isEmpty() {
        return configured.isEmpty();
    }

    /** The roots as configured, for messages to operators. */
    public List<Path> configured() {
        return configured;
    }

    /**
     * The real root (links resolved) that holds {@code real}, a path whose links are already
     * resolved; empty when none does. A root that does not exist holds nothing.
     */
    public Optional<Path> rootOf(Path real) {
        for (Path root : configured) {
            Path resolved = realOrNull(root);
            if (resolved != null && real.startsWith(resolved)) {
                return Optional.of(resolved);
            }
        }
        return Optional.empty();
    }

    /**
     * Where {@code path} really leads: the longest part of it that exists with its links resolved,
     * then the rest as written. {@code path} must be absolute and free of {@code ..}: a {@code ..}
     * after a link would climb from the link's target, not from the link.
     */
    public static Path realLocation(Path path) throws IOException {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("not absolute: " + path);
        }
        for (Path part : path) {
            if (part.toString().equals("..")) {
                throw new IllegalArgumentException("contains '..': " + path);
            }
        }
        Path existing = path.normalize();
        Path rest = existing.getFileSystem().getPath("");
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return path.normalize();
        }
        if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
            throw new IOException("'" + existing + "' is a link to nothing");
        }
        return existing.toRealPath().resolve(rest).normalize();
    }

    private static Path realOrNull(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }
}
