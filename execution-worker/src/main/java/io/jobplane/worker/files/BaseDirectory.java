package io.jobplane.worker.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.sql.PathPattern;

/**
 * The directory a {@code filesystem} connection's {@code base_path} names, on the worker's machine.
 * Everything read or written through it stays below it: paths come as {@link PathPattern}s (no
 * absolute paths, no {@code ..}), and a directory or file that is a link pointing elsewhere is
 * refused, so neither a task nor a templated value nor a link planted in the folder can reach
 * other files of the machine.
 */
public final class BaseDirectory {

    /** Temporary files of copies in progress carry this in their names; they are never matched. */
    static final String TEMP_MARK = ".jobplane-tmp-";

    private final String role;
    private final Path root;

    private BaseDirectory(String role, Path root) {
        this.role = role;
        this.root = root;
    }

    /** The connection's base path, which must be an existing directory; {@code role} names it in messages. */
    public static BaseDirectory open(String role, ConnectionSpec spec) throws FileTaskException {
        if (spec == null) {
            throw new FileTaskException("the job has no " + role + " connection", false);
        }
        if (spec.basePath() == null || spec.basePath().isBlank()) {
            throw new FileTaskException("the " + role + " connection has no base_path; set it to a directory on the worker's machine",
                    false);
        }
        Path path = Path.of(spec.basePath());
        if (!path.isAbsolute()) {
            throw new FileTaskException("the " + role + " connection's base_path '" + spec.basePath()
                    + "' is not absolute; set it to a full directory path", false);
        }
        try {
            Path real = path.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new FileTaskException("the " + role + " connection's base_path '" + spec.basePath() + "' is not a directory", false);
            }
            return new BaseDirectory(role, real);
        } catch (NoSuchFileException e) {
            throw new FileTaskException("the " + role + " connection's base_path '" + spec.basePath()
                    + "' does not exist on this worker", true);
        } catch (IOException e) {
            throw new FileTaskException("cannot open the " + role + " connection's base_path '" + spec.basePath() + "': " + e, true);
        }
    }

    public String role() {
        return role;
    }

    /**
     * A file found: {@code relative} to the base path, {@code below} the pattern's fixed directory
     * (both with {@code /}), its size and last modification.
     */
    public record Found(Path path, String relative, String below, long size, FileTime modified) {
    }

    /** The regular files the path names, in path order; none when nothing matches. */
    public List<Found> find(PathPattern.Resolved resolved) throws FileTaskException {
        Path start = inside(resolved.directory());
        try {
            if (!resolved.isGlob()) {
                Path file = inside(resolved.literal());
                if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    return List.of();
                }
                Found found = found(start, file, resolved.literal());
                if (found == null) {
                    throw new FileTaskException("'" + resolved.literal() + "' in the " + role + " is a directory, not a file;"
                            + " write '" + resolved.literal() + "/*' for the files in it", false);
                }
                return List.of(found);
            }
            if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isSymbolicLink(start)) {
                    requireWithin(start, resolved.directory());
                }
                return List.of();
            }
            requireWithin(start, resolved.directory());
            List<Found> files = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(start, resolved.depth())) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    if (p.equals(start) || p.getFileName().toString().contains(TEMP_MARK)) {
                        continue;
                    }
                    String below = slashed(start.relativize(p));
                    if (resolved.matcher().matcher(below).matches()) {
                        Found found = found(start, p, below);
                        if (found != null) {
                            files.add(found);
                        }
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            files.sort(Comparator.comparing(Found::relative));
            return files;
        } catch (IOException e) {
            throw new FileTaskException("cannot list '" + resolved.shown() + "' in the " + role + ": " + describe(e), true);
        }
    }

    /** A regular file (links followed, refused when they lead out of the base path); null for anything else. */
    private Found found(Path start, Path p, String shown) throws IOException, FileTaskException {
        requireWithin(p, shown);
        BasicFileAttributes attributes = Files.readAttributes(p, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            return null;
        }
        return new Found(p, slashed(root.relativize(p)), slashed(start.relativize(p)), attributes.size(),
                attributes.lastModifiedTime());
    }

    /**
     * The directory at this relative path, made (with its parents) when missing; refused when it
     * (or a link on the way) leads out of the base path.
     */
    public Path directory(String relative) throws FileTaskException {
        Path dir = inside(relative);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new FileTaskException("cannot make the directory '" + relative + "' in the " + role + ": " + describe(e), true);
        }
        requireWithin(dir, relative);
        return dir;
    }

    /** The base path's file at this relative path (not checked for links: see {@link #requireWithin}). */
    Path inside(String relative) throws FileTaskException {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            throw new FileTaskException("'" + relative + "' leaves the " + role + "'s base_path", false);
        }
        return p;
    }

    /** Refuses a path whose real location (links followed) is not below the base path. */
    void requireWithin(Path p, String shown) throws FileTaskException {
        try {
            if (!p.toRealPath().startsWith(root)) {
                throw new FileTaskException("'" + shown + "' in the " + role + " is a link to a place outside the connection's"
                        + " base_path; files are read and written only below it", false);
            }
        } catch (NoSuchFileException e) {
            throw new FileTaskException("'" + shown + "' in the " + role + " is a link to nothing", false);
        } catch (IOException e) {
            throw new FileTaskException("cannot check '" + shown + "' in the " + role + ": " + describe(e), true);
        }
    }

    private static String slashed(Path relative) {
        return relative.toString().replace('\\', '/');
    }

    /** An I/O error said plainly (the exception's kind and the file), without the machine's paths above the base. */
    String describe(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
        String message = e.getMessage() == null ? kind : kind + ": " + e.getMessage();
        return message.replace(root.toString() + "/", "").replace(root.toString(), "base_path");
    }
}
