package io.jobplane.worker.steps;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.jobplane.events.Checksums;

/**
 * A step package unpacked into a directory of its own for one run: checked against its checksum,
 * every entry kept inside the directory, at most {@value #MAX_UNPACKED} bytes written, and removed
 * with everything the steps left in it when the run is done.
 */
final class StepPackageFiles implements AutoCloseable {

    static final long MAX_UNPACKED = 64L * 1024 * 1024;

    private final Path dir;
    private final Path root;

    private StepPackageFiles(Path dir, Path root) {
        this.dir = dir;
        this.root = root;
    }

    /** Unpacks the package; {@code steps} (paths below its one top folder, if any) locate its root. */
    static StepPackageFiles unpack(String runId, byte[] zip, String sha256, List<String> steps) throws IOException {
        if (!sha256.equals(Checksums.sha256(zip))) {
            throw new IOException("the step package does not match its checksum " + sha256);
        }
        Path dir = Files.createTempDirectory("jobplane-steps-");
        try {
            long written = 0;
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                    Path target = dir.resolve(e.getName()).normalize();
                    if (!target.startsWith(dir) || e.getName().contains("\\")) {
                        throw new IOException("the step package names a file outside itself: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                        continue;
                    }
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        written += copy(in, out, MAX_UNPACKED - written);
                    }
                }
            }
            return new StepPackageFiles(dir, root(dir, steps));
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /** The folder the steps are in: the package's top level, or its one top folder. */
    private static Path root(Path dir, List<String> steps) throws IOException {
        if (steps.isEmpty() || Files.isRegularFile(dir.resolve(steps.get(0)))) {
            return dir;
        }
        try (Stream<Path> top = Files.list(dir)) {
            List<Path> folders = top.filter(Files::isDirectory).toList();
            if (folders.size() == 1 && Files.isRegularFile(folders.get(0).resolve(steps.get(0)))) {
                return folders.get(0);
            }
        }
        throw new IOException("the step package does not hold its step " + steps.get(0));
    }

    Path root() {
        return root;
    }

    /**
     * A step's file, which must be a plain file inside the package: steps that ran before may have
     * changed the folder, so a link (to anywhere) is refused, and so is a folder on the way that
     * became a link.
     */
    Path step(String name) throws IOException {
        Path file = root.resolve(name).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                || !file.toRealPath().equals(dir.toRealPath().resolve(dir.relativize(file)))) {
            throw new IOException("the step package holds no step " + name + " (or it was replaced by a link)");
        }
        return file;
    }

    /**
     * The text of a step the worker itself runs (.sql), read without following a link. The run's
     * earlier steps have all ended (with every process they started) before it is read, so nothing
     * of the run can swap the file between the check and the read.
     */
    String read(String name) throws IOException {
        Path file = step(name);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] text = in.readNBytes((int) Math.min(MAX_UNPACKED, Integer.MAX_VALUE - 8) + 1);
            if (text.length > MAX_UNPACKED) {
                throw new IOException("step " + name + " is larger than " + MAX_UNPACKED + " bytes");
            }
            return new String(text, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        delete(dir);
    }

    private static long copy(InputStream in, OutputStream out, long budget) throws IOException {
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0;) {
            total += n;
            if (total > budget) {
                throw new IOException("the step package unpacks to more than " + MAX_UNPACKED + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless; the next boot's temp cleanup takes it
        }
    }
}
