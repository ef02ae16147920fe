package io.jobplane.worker.files;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import io.jobplane.events.files.FileRoots;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.sql.PathPattern;

/**
 * The directory a {@code filesystem} connection's {@code base_path} names, on the worker's machine.
 * Everything read or written through it stays below it:
 * <ul>
 * <li>the base path's real location (links resolved) must be under one of the worker's configured
 * file roots ({@code jobplane.worker.files.roots}); none configured refuses every base path;</li>
 * <li>paths come as {@link PathPattern}s (no absolute paths, no {@code ..});</li>
 * <li>every file is opened, made or replaced through directories opened one by one from the root
 * with {@code O_NOFOLLOW} ({@link SecureDirectoryStream}, {@code openat}): a link met on the way
 * is resolved and followed only when its target is below the base path, and a link planted after
 * the check cannot redirect the open. Nothing is made before its directory is checked.</li>
 * </ul>
 */
public final class BaseDirectory {

    /** Temporary files of copies in progress carry this in their names; they are never matched. */
    static final String TEMP_MARK = ".jobplane-tmp-";
    /** Links followed on one path before it is refused, like the kernel's limit. */
    private static final int MAX_LINKS = 40;

    private final String role;
    /** The configured file root (real) that holds the base path. */
    private final Path top;
    /** The base path, real. */
    private final Path root;

    private BaseDirectory(String role, Path top, Path root) {
        this.role = role;
        this.top = top;
        this.root = root;
    }

    /**
     * The connection's base path, which must be an existing directory whose real location is under
     * one of {@code roots}; {@code role} names it in messages.
     */
    public static BaseDirectory open(String role, ConnectionSpec spec, FileRoots roots) throws FileTaskException {
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
        if (roots.isEmpty()) {
            throw new FileTaskException("this worker allows no filesystem connections: no file root is configured;"
                    + " an operator sets jobplane.worker.files.roots to the directories they may use", false, NOT_ALLOWED);
        }
        try {
            Path real = path.toRealPath();
            Path top = roots.rootOf(real).orElseThrow(() -> new FileTaskException("the " + role + " connection's base_path '"
                    + spec.basePath() + "' is not under a directory this worker allows" + (real.equals(path.normalize()) ? ""
                            : " (it leads through a link elsewhere)")
                    + "; use a path under one of the worker's file roots (jobplane.worker.files.roots)", false, NOT_ALLOWED));
            if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileTaskException("the " + role + " connection's base_path '" + spec.basePath() + "' is not a directory", false);
            }
            return new BaseDirectory(role, top, real);
        } catch (NoSuchFileException e) {
            throw new FileTaskException("the " + role + " connection's base_path '" + spec.basePath()
                    + "' does not exist on this worker", true);
        } catch (IOException e) {
            throw new FileTaskException("cannot open the " + role + " connection's base_path '" + spec.basePath() + "': "
                    + e.getClass().getSimpleName(), true);
        }
    }

    /** The error code of a base path outside the configured roots. */
    public static final String NOT_ALLOWED = "BASE_PATH_NOT_ALLOWED";

    public String role() {
        return role;
    }

    /**
     * A file found: where it really is ({@code real}, links resolved, below the base path),
     * {@code relative} to the base path and {@code below} the pattern's fixed directory (both as
     * matched, with {@code /}), its size and last modification.
     */
    public record Found(Path real, String relative, String below, long size, FileTime modified) {
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

    /** A regular file (links resolved, refused when they lead out of the base path); null for anything else. */
    private Found found(Path start, Path p, String shown) throws IOException, FileTaskException {
        Path real = requireWithin(p, shown);
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            return null;
        }
        return new Found(real, slashed(root.relativize(p)), slashed(start.relativize(p)), attributes.size(),
                attributes.lastModifiedTime());
    }

    /**
     * Opens a file found for reading, through directories opened one by one without following
     * links; a link met on the way (planted since the file was found) is followed only when it
     * stays below the base path. Refuses anything but a plain file.
     */
    public SeekableByteChannel read(Found file) throws FileTaskException {
        Path target = file.real();
        for (int links = 0; links <= MAX_LINKS; links++) {
            requireBelowBase(target, file.relative());
            Path name = target.getFileName();
            try (Dir dir = walk(target.getParent(), false, file.relative())) {
                BasicFileAttributes attributes = dir.attributes(name);
                if (attributes == null) {
                    throw new FileTaskException("'" + file.relative() + "' in the " + role + " is gone", true);
                }
                if (attributes.isSymbolicLink()) {
                    target = dir.path().resolve(name).toRealPath();
                    continue;
                }
                if (!attributes.isRegularFile()) {
                    throw new FileTaskException("'" + file.relative() + "' in the " + role + " is not a plain file", false);
                }
                return dir.stream.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
            } catch (NoSuchFileException e) {
                throw new FileTaskException("'" + file.relative() + "' in the " + role + " is gone", true);
            } catch (IOException e) {
                throw new FileTaskException("cannot read '" + file.relative() + "' in the " + role + ": " + describe(e), true);
            }
        }
        throw tooManyLinks(file.relative());
    }

    /**
     * The directory at this relative path, opened for writing files into it, made (with its
     * parents) when missing; refused when it, or a link on the way, leads out of the base path.
     * The caller closes it.
     */
    public Dir directory(String relative) throws FileTaskException {
        Path dir = inside(relative);
        try {
            return walk(dir, true, relative);
        } catch (IOException e) {
            throw new FileTaskException("cannot make the directory '" + relative + "' in the " + role + ": " + describe(e), true);
        }
    }

    /**
     * An open directory below the base path, reached without following links (its path is where it
     * was found). Files in it are named by single names and never followed when they are links.
     */
    public final class Dir implements Closeable {

        private final SecureDirectoryStream<Path> stream;
        private final Path path;

        private Dir(SecureDirectoryStream<Path> stream, Path path) {
            this.stream = stream;
            this.path = path;
        }

        public Path path() {
            return path;
        }

        /** The entry's own attributes (a link is a link); null when there is none. */
        public BasicFileAttributes attributes(Path name) throws IOException {
            try {
                return stream.getFileAttributeView(single(name), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        /** Opens a plain file in this directory for reading; a link is refused by the kernel. */
        public SeekableByteChannel read(Path name) throws IOException {
            return stream.newByteChannel(single(name), Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        }

        /** Makes a new file (it must not exist, not even as a link) and opens it for writing. */
        public SeekableByteChannel create(Path name) throws IOException {
            return stream.newByteChannel(single(name),
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        }

        public void setModified(Path name, FileTime time) throws IOException {
            stream.getFileAttributeView(single(name), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(time, null, null);
        }

        /** Renames {@code from} to {@code to} in this directory, replacing {@code to} atomically. */
        public void rename(Path from, Path to) throws IOException {
            stream.move(single(from), stream, single(to));
        }

        public void deleteQuietly(Path name) {
            try {
                stream.deleteFile(single(name));
            } catch (IOException ignored) {
                // a leftover temporary name is never matched by a pattern
            }
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    private static Path single(Path name) {
        if (name.getNameCount() != 1 || name.isAbsolute() || name.toString().equals("..") || name.toString().equals(".")) {
            throw new IllegalArgumentException("not a single file name: " + name);
        }
        return name;
    }

    /**
     * Opens the directory {@code target} (absolute, below the base path) one name at a time from the
     * configured root, never following a link: a link met is resolved, checked to stay below the
     * base path and the walk starts again from the root towards its target. With {@code create}
     * missing directories are made, each only after its parent was opened and found to be still
     * where it was.
     */
    private Dir walk(Path target, boolean create, String shown) throws IOException, FileTaskException {
        Path wanted = target.normalize();
        for (int links = 0; links <= MAX_LINKS; links++) {
            requireBelowBase(wanted, shown);
            SecureDirectoryStream<Path> current = openTop();
            Path at = top;
            Path redirected = null;
            try {
                for (Path name : top.relativize(wanted)) {
                    if (name.toString().isEmpty()) {
                        continue;
                    }
                    BasicFileAttributes attributes = attributes(current, name);
                    if (attributes == null) {
                        if (!create || !at.startsWith(root)) {
                            throw new NoSuchFileException(slashed(root.relativize(at.resolve(name))));
                        }
                        makeDirectory(current, at, name);
                        attributes = attributes(current, name);
                        if (attributes == null) {
                            throw new NoSuchFileException(slashed(root.relativize(at.resolve(name))));
                        }
                    }
                    if (attributes.isSymbolicLink()) {
                        Path link = at.resolve(name);
                        Path real;
                        try {
                            real = link.toRealPath();
                        } catch (NoSuchFileException e) {
                            throw new FileTaskException("'" + shown + "' in the " + role + " is a link to nothing", false);
                        }
                        redirected = real.resolve(link.relativize(wanted));
                        break;
                    }
                    if (!attributes.isDirectory()) {
                        throw new FileTaskException("'" + shown + "' in the " + role + " is not a directory", false);
                    }
                    SecureDirectoryStream<Path> next = current.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
                    current.close();
                    current = next;
                    at = at.resolve(name);
                }
            } catch (IOException | FileTaskException | RuntimeException e) {
                current.close();
                throw e;
            }
            if (redirected == null) {
                return new Dir(current, at);
            }
            current.close();
            wanted = redirected.normalize();
        }
        throw tooManyLinks(shown);
    }

    private SecureDirectoryStream<Path> openTop() throws IOException, FileTaskException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(top);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        throw new FileTaskException("this worker's file system cannot open files safely (no openat); files are not read here", false);
    }

    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            return dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Makes the directory {@code name} in {@code dir} (found at {@code at}), by path: there is no
     * {@code mkdirat} in Java. The path is checked to still lead to the open directory first, and
     * the new directory is then opened through it without following links, so nothing is ever
     * written through a directory swapped in meanwhile.
     */
    private static void makeDirectory(SecureDirectoryStream<Path> dir, Path at, Path name) throws IOException {
        Object opened = dir.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
        Object byPath = Files.readAttributes(at, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        if (opened == null || !Objects.equals(opened, byPath)) {
            throw new IOException("directory '" + at.getFileName() + "' changed while in use");
        }
        try {
            Files.createDirectory(at.resolve(name));
        } catch (FileAlreadyExistsException e) {
            // made meanwhile by another task or run; it is checked like any other
        }
    }

    private FileTaskException tooManyLinks(String shown) {
        return new FileTaskException("'" + shown + "' in the " + role + " leads through too many links", false);
    }

    /**
     * The real directory at this path below the base path (links on the way resolved and checked to stay
     * below it), for a reader that walks it without following links (a metadata discovery).
     */
    public Path directoryWithin(String relative) throws FileTaskException {
        Path real = requireWithin(inside(relative), relative.isEmpty() ? "base_path" : relative);
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileTaskException("'" + relative + "' in the " + role + " is not a directory", false);
        }
        return real;
    }

    /** The base path's file at this relative path (not checked for links: see {@link #requireWithin}). */
    Path inside(String relative) throws FileTaskException {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            throw new FileTaskException("'" + relative + "' leaves the " + role + "'s base_path", false);
        }
        return p;
    }

    private void requireBelowBase(Path real, String shown) throws FileTaskException {
        if (!real.startsWith(root)) {
            throw new FileTaskException("'" + shown + "' in the " + role + " is a link to a place outside the connection's"
                    + " base_path; files are read and written only below it", false);
        }
    }

    /** The real location (links followed) of a path, refused when it is not below the base path. */
    Path requireWithin(Path p, String shown) throws FileTaskException {
        try {
            Path real = p.toRealPath();
            requireBelowBase(real, shown);
            return real;
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
        return message.replace(root.toString() + "/", "").replace(root.toString(), "base_path").replace(top.toString(), "the file root");
    }
}
