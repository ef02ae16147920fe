package io.jobplane.worker.steps;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.events.failure.FailureKind;
import io.jobplane.events.failure.Failures;
import io.jobplane.events.payload.StepPackageSpec;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.StepPackageTokens;
import io.jobplane.worker.config.StepsConfig;
import io.jobplane.worker.config.WorkerConfig;

/**
 * Gets a STEPS run's package by its hash: from the worker's cache ({@link PackageCache}) or from
 * job-api's internal endpoint ({@code GET <api-url>/internal/v1/step-packages/<sha256>}) with a
 * token for this package and run ({@link StepPackageTokens}, from the keyring the worker holds).
 * The bytes are read to the size the launch command names and no further, checked against its
 * sha256, and only then cached and used.
 *
 * <p>This is the worker's own connection to the platform, not a tenant's: it is made with the
 * JDK's client, outside the egress policy (which refuses tenant connections to job-api), without
 * a proxy and without following redirects.
 */
@ApplicationScoped
public class PackageFetcher {

    private static final Logger LOG = Logger.getLogger(PackageFetcher.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERROR_BODY_BYTES = 4096;

    /** A fetch that failed: {@code retryable} when another try may succeed (job-api away, a 5xx, a broken transfer). */
    public static final class Failed extends Exception {
        private final boolean retryable;

        Failed(String message, boolean retryable) {
            super(message, null, false, false);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final String apiUrl;
    private final Duration timeout;
    private final StepPackageTokens tokens;
    private final PackageCache cache;
    private final boolean ownCacheDir;
    private final HttpClient client;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    public PackageFetcher(WorkerConfig worker, StepsConfig steps, SecretKeyring keyring) {
        this.apiUrl = worker.apiUrl().replaceAll("/+$", "");
        this.timeout = steps.packages().fetchTimeout();
        this.tokens = new StepPackageTokens(keyring);
        this.ownCacheDir = steps.packages().cacheDir().isEmpty();
        try {
            Path dir = steps.packages().cacheDir().isPresent() ? steps.packages().cacheDir().get()
                    : Files.createTempDirectory("jobplane-step-packages-");
            this.cache = new PackageCache(dir, steps.packages().cacheMaxBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the step package cache (jobplane.worker.steps.packages.cache-dir): "
                    + e.getMessage(), e);
        }
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY).build();
    }

    /** The package's verified bytes, for run {@code runId}. */
    public byte[] fetch(String runId, StepPackageSpec spec) throws Failed, InterruptedException {
        String sha = spec.sha256();
        if (sha == null || !SHA256.matcher(sha).matches() || spec.sizeBytes() <= 0 || spec.sizeBytes() > StepPackageSpec.MAX_BYTES) {
            throw new Failed("the launch command names no valid step package (sha256 " + sha + ", " + spec.sizeBytes()
                    + " bytes)", false);
        }
        Object lock = locks.computeIfAbsent(sha, k -> new Object());
        synchronized (lock) {
            try {
                byte[] cached = cache.get(sha);
                if (cached != null && cached.length == spec.sizeBytes()) {
                    return cached;
                }
                byte[] fetched = download(runId, spec);
                try {
                    cache.put(sha, fetched);
                } catch (IOException e) {
                    LOG.warnf("step package %s could not be cached: %s", sha, e.getMessage());
                }
                return fetched;
            } finally {
                locks.remove(sha, lock);
            }
        }
    }

    private byte[] download(String runId, StepPackageSpec spec) throws Failed, InterruptedException {
        String sha = spec.sha256();
        String where = apiUrl + StepPackageTokens.PATH + sha;
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(where)).timeout(timeout).GET()
                    .header(StepPackageTokens.HEADER, tokens.mint(sha, runId, Instant.now().plus(StepPackageTokens.LIFETIME)))
                    .header("Accept", "application/zip, application/json").build();
        } catch (IllegalArgumentException e) {
            throw new Failed("cannot ask job-api for the step package: " + e.getMessage()
                    + " (jobplane.worker.api-url is " + apiUrl + ")", false);
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Failed("cannot reach job-api at " + apiUrl + " to fetch the step package: " + describe(e), true);
        }
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            if (status == 200) {
                try {
                    return PackageBytes.read(body, spec.sizeBytes(), sha, StepPackageSpec.MAX_BYTES);
                } catch (PackageBytes.Mismatch e) {
                    throw new Failed("job-api sent a step package that is not the one asked for: " + e.getMessage(), false);
                } catch (IOException e) {
                    throw new Failed("the step package's transfer from job-api broke off: " + describe(e), true);
                }
            }
            String error = error(body);
            boolean retryable = status >= 500 || Failures.byHttpStatus(status) == FailureKind.RETRIABLE;
            throw new Failed("job-api answered " + status + " to the step package fetch" + (error.isEmpty() ? "" : ": " + error),
                    retryable);
        } catch (IOException e) {
            throw new Failed("the step package's transfer from job-api broke off: " + describe(e), true);
        }
    }

    /** job-api's error code and message from a JSON error body (read to at most 4 KiB), or nothing. */
    private static String error(InputStream body) {
        try {
            byte[] bytes = body.readNBytes(ERROR_BODY_BYTES);
            JsonNode json = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
            String code = json.path("error_code").asText("");
            String message = json.path("error_msg").asText("");
            return (code + " " + message).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " " + message);
    }

    PackageCache cache() {
        return cache;
    }

    @PreDestroy
    void close() {
        if (ownCacheDir) {
            try (Stream<Path> all = Files.walk(cache.dir())) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary folder left behind; the machine's temp cleanup takes it
            }
        }
    }
}
