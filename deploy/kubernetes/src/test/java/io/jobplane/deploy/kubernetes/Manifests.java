package io.jobplane.deploy.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The manifests as the tests see them: each overlay rendered by {@code kubectl kustomize} into
 * {@code target/rendered}, and the validator (validator/validate.mjs) installed with {@code npm ci}
 * into {@code target/validator} and run on files.
 */
final class Manifests {

    /** How a command ended and what it printed. */
    record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    static final Path MODULE = root().resolve("deploy/kubernetes");
    private static final Path TARGET = MODULE.resolve("target");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {
    }

    static Path root() {
        String root = System.getProperty("jobplane.root");
        Path start = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/kubernetes/base"))) {
                return p;
            }
        }
        throw new IllegalStateException("the repository root (with deploy/kubernetes) is not above " + start);
    }

    /** The overlay rendered by kubectl's Kustomize, as a file of YAML documents. */
    static Path render(String overlay) {
        String kubectl = find("kubectl").orElseThrow(() -> new IllegalStateException(
                "kubectl is not installed: the manifests are rendered with its Kustomize (Debian package kubernetes-client; "
                        + ".ci/run installs it)"));
        Result r = run(MODULE, List.of(kubectl, "kustomize", MODULE.resolve("overlays").resolve(overlay).toString()), 120);
        if (r.exitCode() != 0) {
            throw new AssertionError("kubectl kustomize overlays/" + overlay + " failed:\n" + r.output());
        }
        Path out = TARGET.resolve("rendered").resolve(overlay + ".yaml");
        try {
            Files.createDirectories(out.getParent());
            // kubectl writes deprecation warnings to stderr; the manifests are stdout.
            Files.writeString(out, r.stdout(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The objects of a file of YAML documents. */
    static List<JsonNode> objects(Path file) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> all = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    all.add(n);
                }
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one object of this kind and name. */
    static JsonNode object(List<JsonNode> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.path("metadata").path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    /** Runs the validator on the files: exit code 0 when every object is valid. */
    static Result validate(Path... files) {
        Path validator = installValidator();
        List<String> command = new ArrayList<>(List.of(find("node").orElseThrow(() -> new IllegalStateException(
                "node is not installed: the manifests are validated with Node.js (validator/validate.mjs)")),
                validator.resolve("validate.mjs").toString()));
        for (Path f : files) {
            command.add(f.toString());
        }
        return run(validator, command, 120);
    }

    /**
     * The validator with its pinned packages (validator/package-lock.json) in target/validator;
     * {@code npm ci} runs again only when the lock file changed.
     */
    private static synchronized Path installValidator() {
        Path source = MODULE.resolve("validator");
        Path dir = TARGET.resolve("validator");
        try {
            Files.createDirectories(dir);
            for (String f : List.of("package.json", "package-lock.json", "validate.mjs")) {
                Files.copy(source.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            Path stamp = dir.resolve("node_modules/.installed-lock.json");
            String lock = Files.readString(dir.resolve("package-lock.json"));
            if (!Files.exists(stamp) || !Files.readString(stamp).equals(lock)) {
                String npm = find("npm").orElseThrow(() -> new IllegalStateException("npm is not installed"));
                Result r = run(dir, List.of(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
                if (r.exitCode() != 0) {
                    throw new AssertionError("npm ci of the validator failed:\n" + r.output());
                }
                Files.writeString(stamp, lock);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one property of a service's application.properties. */
    static String property(String module, String key) {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(root().resolve(module).resolve("src/main/resources/application.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String v = p.getProperty(key);
        if (v == null) {
            throw new AssertionError(module + " does not set " + key);
        }
        return v;
    }

    static Optional<String> find(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.empty();
    }

    static Result run(Path dir, List<String> command, int timeoutSeconds) {
        try {
            Path out = Files.createTempFile("manifests-out", ".txt");
            Path err = Files.createTempFile("manifests-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().putAll(Map.of("NO_COLOR", "1"));
                Process p = pb.start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not end within " + timeoutSeconds + " s");
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
