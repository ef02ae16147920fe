package io.jobplane.worker.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.jobplane.worker.executor.TaskListener;
import io.jobplane.events.sql.FileCopyStatement;
import io.jobplane.events.sql.PathPattern;

/**
 * Copies the files a {@link FileCopyStatement} matches from one base directory to another. Each
 * copy is written to a temporary file in the target directory ({@code .<name>.jobplane-tmp-<id>},
 * never matched by a pattern), flushed to disk and moved into place atomically, so a reader never
 * sees half a file and a failed or cancelled copy leaves nothing behind. A target with the same
 * size and SHA-256 as the source is left alone (a re-run copies nothing); a different one is
 * replaced, kept or fails the task per {@code IfExists}. The copy keeps the source's modification
 * time.
 */
public final class FileCopy {

    private static final long PROGRESS_NANOS = 1_000_000_000L;


    /** Files copied, left alone because identical, kept per IfExists='SKIP'; bytes copied. */
    public record Result(int copied, int identical, int kept, long bytes) {
    }

    private final BaseDirectory from;
    private final BaseDirectory to;
    private final TaskListener listener;
    private long bytes;
    private int copied;
    private long lastReport = System.nanoTime();

    public FileCopy(BaseDirectory from, BaseDirectory to, TaskListener listener) {
        this.from = from;
        this.to = to;
        this.listener = listener;
    }

    public Result copy(FileCopyStatement statement, Map<String, Object> values) throws FileTaskException {
        PathPattern.Resolved source;
        PathPattern.Resolved target;
        try {
            source = statement.from().resolve(values);
            target = statement.to().resolve(values);
        } catch (PathPattern.PathException e) {
            throw new FileTaskException(e.getMessage(), false);
        }
        List<BaseDirectory.Found> files = from.find(source);
        if (files.isEmpty()) {
            if (!source.isGlob()) {
                throw new FileTaskException("'" + source.literal() + "' does not exist in the source (below its base_path)", true);
            }
            listener.log("no file matches '" + source.shown() + "'");
        }
        int identical = 0;
        int kept = 0;
        for (BaseDirectory.Found file : files) {
            if (listener.cancelled()) {
                throw new FileTaskException.Cancelled("cancelled between files");
            }
            String relative = statement.to().isDirectory()
                    ? (target.directory().isEmpty() ? "" : target.directory() + "/") + file.below()
                    : target.literal();
            int slash = relative.lastIndexOf('/');
            try (BaseDirectory.Dir dir = to.directory(slash < 0 ? "" : relative.substring(0, slash))) {
                Path name = Path.of(relative.substring(slash + 1));
                switch (existing(file, dir, name, relative)) {
                    case IDENTICAL -> {
                        identical++;
                        listener.log("'" + relative + "' is already there with the same content; left alone");
                        continue;
                    }
                    case DIFFERENT -> {
                        if (statement.ifExists() == FileCopyStatement.IfExists.SKIP) {
                            kept++;
                            listener.log("'" + relative + "' exists with other content; kept (IfExists='SKIP')");
                            continue;
                        }
                        if (statement.ifExists() == FileCopyStatement.IfExists.FAIL) {
                            throw new FileTaskException("'" + relative + "' exists in the destination with other content (IfExists='FAIL');"
                                    + " remove it, or write WITH IfExists='REPLACE' to replace it", false);
                        }
                    }
                    case NONE -> {
                    }
                }
                write(file, dir, name, relative);
            } catch (IOException e) {
                throw new FileTaskException("cannot copy '" + file.relative() + "' to '" + relative + "': " + to.describe(e), true);
            }
            copied++;
            listener.log("'" + file.relative() + "' copied to '" + relative + "' (" + file.size() + " bytes)");
        }
        listener.progress(copied, bytes);
        return new Result(copied, identical, kept, bytes);
    }

    private enum Existing {
        NONE, IDENTICAL, DIFFERENT
    }

    private Existing existing(BaseDirectory.Found file, BaseDirectory.Dir dir, Path name, String relative) throws FileTaskException {
        try {
            BasicFileAttributes attributes = dir.attributes(name);
            if (attributes == null) {
                return Existing.NONE;
            }
            if (!attributes.isRegularFile()) {
                throw new FileTaskException("'" + relative + "' in the destination is " + (attributes.isDirectory() ? "a directory"
                        : attributes.isSymbolicLink() ? "a link" : "not a plain file") + "; copies replace plain files only", false);
            }
            if (attributes.size() != file.size()) {
                return Existing.DIFFERENT;
            }
            byte[] source;
            try (SeekableByteChannel in = from.read(file)) {
                source = sha256(in);
            }
            try (SeekableByteChannel in = dir.read(name)) {
                return Arrays.equals(source, sha256(in)) ? Existing.IDENTICAL : Existing.DIFFERENT;
            }
        } catch (IOException e) {
            throw new FileTaskException("cannot compare '" + relative + "' with the source: " + to.describe(e), true);
        }
    }

    private void write(BaseDirectory.Found file, BaseDirectory.Dir dir, Path name, String relative) throws FileTaskException {
        Path temp = Path.of("." + name + BaseDirectory.TEMP_MARK + UUID.randomUUID());
        try {
            try (SeekableByteChannel source = from.read(file); InputStream in = Channels.newInputStream(source);
                    SeekableByteChannel channel = dir.create(temp)) {
                OutputStream out = Channels.newOutputStream(channel);
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    bytes += n;
                    if (listener.cancelled()) {
                        throw new FileTaskException.Cancelled("cancelled while copying '" + file.relative() + "'");
                    }
                    if (System.nanoTime() - lastReport >= PROGRESS_NANOS) {
                        listener.progress(copied, bytes);
                        lastReport = System.nanoTime();
                    }
                }
                if (channel instanceof FileChannel fileChannel) {
                    fileChannel.force(true);
                }
            }
            dir.setModified(temp, file.modified());
            try {
                dir.rename(temp, name);
            } catch (AtomicMoveNotSupportedException e) {
                throw new FileTaskException("the destination cannot move '" + relative + "' into place atomically", false);
            }
        } catch (IOException e) {
            throw new FileTaskException("cannot copy '" + file.relative() + "' to '" + relative + "': " + to.describe(e), true);
        } finally {
            dir.deleteQuietly(temp);
        }
    }

    /** The SHA-256 of what is left to read in the channel. */
    static byte[] sha256(SeekableByteChannel channel) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(1 << 16);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
