package io.jobplane.worker.catalog.td;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.util.Timeout;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.jobplane.events.egress.Egress;
import io.jobplane.events.egress.EgressDeniedException;
import io.jobplane.events.egress.EgressHttp;
import io.jobplane.events.egress.EgressPolicy;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.SealedValue;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;

/**
 * Treasure Data's REST API (v3) as an ingest reads it: {@code GET} requests to the connection's
 * {@code base_url} with {@code Authorization: TD1 <api_key>}, through job-events' egress-checked
 * sockets ({@link EgressHttp}: every address checked at connect time, no redirects, no proxy).
 * <p>
 * TD's own Java client ({@code com.treasuredata.client:td-client}) is not used: it builds its OkHttp
 * client inside and takes no socket factory or DNS hook, so its connections could not be held to the
 * egress policy; it also reads whole bodies without a bound and follows redirects
 * (docs/catalog/treasure-data.md, "Why not td-client").
 * <p>
 * Robustness: {@code 429} waits as {@code Retry-After} says (seconds or an HTTP date), else backs off;
 * {@code 408}/{@code 5xx}, timeouts, resets and refused connections back off exponentially
 * ({@code initialBackoff} doubled per try, at most {@code maxBackoff}), both up to {@code maxAttempts}
 * tries; {@code 401}/{@code 403} fail at once ({@link TdException#AUTH_FAILED}); a body over
 * {@code maxResponseBytes} (announced or read) fails ({@link TdException#RESPONSE_TOO_LARGE}). The key
 * is in no message, log line or exception; {@link #scrub} removes it from any text that leaves.
 * One run uses an instance from one thread.
 */
public final class TdApi implements Closeable {

    /** TD's US endpoint, a connection's default. */
    public static final String DEFAULT_BASE_URL = "https://api.treasuredata.com";

    /** How the client waits between tries; tests record the waits instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Sleeper THREAD_SLEEP = d -> Thread.sleep(Math.max(0, d.toMillis()));

    private final URI base;
    private final String apiKey;
    private final IngestOptions.Limits limits;
    private final CloseableHttpClient http;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ObjectMapper json;
    private Consumer<String> log = line -> {
    };
    private long requests;
    private long retries;

    private TdApi(URI base, String apiKey, IngestOptions.Limits limits, CloseableHttpClient http, Sleeper sleeper, Clock clock) {
        this.base = base;
        this.apiKey = apiKey;
        this.limits = limits;
        this.http = http;
        this.sleeper = sleeper;
        this.clock = clock;
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(200).maxStringLength(limits.maxResponseBytes()).build()).build();
        // Numbers stay as TD wrote them (no double rounding of decimals) when the record is written back as text.
        this.json = new ObjectMapper(factory).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    }

    /**
     * Opens a {@code treasure_data} connection of a launch command: its {@code base_url} (default
     * {@link #DEFAULT_BASE_URL}) and its sealed {@code api_key}, opened for the workspace's connection.
     * Sockets are checked by the installed egress policy.
     */
    public static TdApi open(ConnectionSpec spec, String workspace, SecretKeyring keyring, IngestOptions.Limits limits)
            throws TdException {
        if (spec == null || !"treasure_data".equals(spec.type())) {
            throw new TdException(TdException.UNUSABLE_CONNECTION, "the job's source is not a treasure_data connection");
        }
        SealedValue sealed = spec.secret("api_key");
        if (sealed == null) {
            throw new TdException(TdException.UNUSABLE_CONNECTION, "the treasure_data connection holds no api_key");
        }
        String key;
        try {
            key = keyring.open(sealed, SecretOwner.connection(workspace, spec.connectionId()), "api_key");
        } catch (RuntimeException e) {
            // Say which kind of failure without echoing anything the secret may have contained.
            throw new TdException(TdException.UNUSABLE_CONNECTION,
                    "cannot open the connection's api_key (" + e.getClass().getSimpleName() + ")");
        }
        String url = spec.baseUrl() == null || spec.baseUrl().isBlank() ? DEFAULT_BASE_URL : spec.baseUrl();
        return connect(url, key, null, limits, THREAD_SLEEP, Clock.systemUTC());
    }

    /**
     * A client of {@code baseUrl} with {@code apiKey}. {@code policy} checks every socket (null: the
     * installed policy, as in production). The URL must be https; plain http only to an address the
     * policy's allowlist names ({@link EgressPolicy#allowlistedWithoutLookup}), e.g. a test server.
     */
    public static TdApi connect(String baseUrl, String apiKey, EgressPolicy policy, IngestOptions.Limits limits,
            Sleeper sleeper, Clock clock) throws TdException {
        if (apiKey == null || apiKey.isEmpty() || !apiKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new TdException(TdException.UNUSABLE_CONNECTION,
                    "the connection's api_key is empty or not one token of printable ASCII");
        }
        URI uri;
        try {
            uri = new URI(baseUrl.strip());
        } catch (URISyntaxException e) {
            throw new TdException(TdException.UNUSABLE_CONNECTION, "the connection's base_url is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new TdException(TdException.UNUSABLE_CONNECTION,
                    "the connection's base_url must be an https URL with a host and no credentials, query or fragment");
        }
        if (scheme.equals("http")) {
            int port = uri.getPort() > 0 ? uri.getPort() : 80;
            EgressPolicy effective = policy == null ? Egress.policy() : policy;
            if (!effective.allowlistedWithoutLookup(uri.getHost(), port)) {
                throw new TdException(TdException.UNUSABLE_CONNECTION, "the connection's base_url must use https: the API key"
                        + " is sent with every request (plain http only to an address the operator allowlists)");
            }
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        URI normalized = URI.create(scheme + "://" + uri.getRawAuthority() + path);
        CloseableHttpClient client = EgressHttp.client(limits.connectTimeout(), 2, policy);
        return new TdApi(normalized, apiKey, limits, client, sleeper == null ? THREAD_SLEEP : sleeper,
                clock == null ? Clock.systemUTC() : clock);
    }

    /** Where this client's notes (retries, waits) go: the run's log. */
    public void logTo(Consumer<String> runLog) {
        this.log = runLog == null ? line -> {
        } : runLog;
    }

    /** The endpoint as it may be shown: scheme, host, port and path. */
    public String endpoint() {
        return base.toString();
    }

    /** Requests sent, tries included. */
    public long requests() {
        return requests;
    }

    /** Tries after the first, over all requests. */
    public long retries() {
        return retries;
    }

    /** {@code text} with the API key replaced by {@code ***}. */
    public String scrub(String text) {
        return text == null ? null : text.replace(apiKey, "***");
    }

    /** One path segment, percent-encoded (a database name, an id the server sent). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The JSON answer of {@code GET <base_url><pathAndQuery>}; a 404 fails like any other 4xx. */
    public JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        return get(pathAndQuery, false);
    }

    /** As {@link #get(String)}, but null when TD answers 404 (the object went away since it was listed). */
    public JsonNode getIfPresent(String pathAndQuery) throws IOException, InterruptedException {
        return get(pathAndQuery, true);
    }

    private JsonNode get(String pathAndQuery, boolean absentOk) throws IOException, InterruptedException {
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /");
        }
        URI target = URI.create(base + pathAndQuery);
        String shown = scrub(pathAndQuery);
        for (int attempt = 1;; attempt++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("the run was cancelled");
            }
            Duration wait;
            String why;
            requests++;
            try {
                Answer answer = send(target, shown);
                int status = answer.status();
                if (status >= 200 && status < 300) {
                    return parse(answer.body(), shown);
                }
                if (status == 404 && absentOk) {
                    return null;
                }
                if (status == 401 || status == 403) {
                    throw new TdException(TdException.AUTH_FAILED, "Treasure Data refused the connection's API key (HTTP " + status
                            + " for GET " + shown + "): check the key of the treasure_data connection and that it is a"
                            + " master key allowed to read this", status, null);
                }
                if (status == 429) {
                    wait = retryAfter(answer.retryAfter(), attempt);
                    why = "HTTP 429 (rate limited)";
                } else if (status == 408 || status >= 500) {
                    wait = answer.retryAfter() != null ? retryAfter(answer.retryAfter(), attempt) : backoff(attempt);
                    why = "HTTP " + status;
                } else {
                    throw new TdException(TdException.HTTP_ERROR, "Treasure Data answered HTTP " + status + " to GET " + shown
                            + (status >= 300 && status < 400 ? " (a redirect, which is not followed)" : ""), status, null);
                }
                if (attempt >= limits.maxAttempts()) {
                    throw new TdException(status == 429 || status >= 500 || status == 408 ? TdException.UNAVAILABLE
                            : TdException.HTTP_ERROR, "Treasure Data answered HTTP " + status + " to GET " + shown + " "
                                    + attempt + " times; giving up", status, null);
                }
            } catch (TdException e) {
                throw e;
            } catch (UnknownHostException e) {
                throw new TdException(TdException.CONNECTION_FAILED, "the host of " + base.getHost() + " does not resolve", 0, null);
            } catch (SSLException e) {
                throw new TdException(TdException.CONNECTION_FAILED, "TLS with " + base.getHost() + " failed: "
                        + e.getClass().getSimpleName(), 0, null);
            } catch (IOException e) {
                EgressDeniedException denied = EgressDeniedException.in(e);
                if (denied != null) {
                    throw new TdException(TdException.EGRESS_DENIED, scrub(denied.getMessage()), 0, null);
                }
                if (!transientFailure(e)) {
                    throw new TdException(TdException.CONNECTION_FAILED, "GET " + shown + " failed: " + e.getClass().getSimpleName(),
                            0, null);
                }
                if (attempt >= limits.maxAttempts()) {
                    throw new TdException(TdException.UNAVAILABLE, "GET " + shown + " failed " + attempt + " times ("
                            + e.getClass().getSimpleName() + "); giving up", 0, null);
                }
                wait = backoff(attempt);
                why = e.getClass().getSimpleName();
            }
            retries++;
            log.accept("GET " + shown + ": " + why + "; trying again in " + wait.toMillis() + " ms (try " + (attempt + 1) + " of "
                    + limits.maxAttempts() + ")");
            sleeper.sleep(wait);
        }
    }

    private record Answer(int status, byte[] body, String retryAfter) {
    }

    private Answer send(URI target, String shown) throws IOException {
        HttpGet request = new HttpGet(target);
        request.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(limits.readTimeout()))
                .setConnectionRequestTimeout(Timeout.of(limits.connectTimeout())).build());
        request.addHeader("Authorization", "TD1 " + apiKey);
        request.addHeader("Accept", "application/json");
        request.addHeader("User-Agent", "jobplane-td-ingest");
        ClassicHttpResponse response = http.executeOpen(null, request, null);
        try {
            int status = response.getCode();
            Header retry = response.getFirstHeader("Retry-After");
            String retryAfter = retry == null ? null : retry.getValue();
            if (status < 200 || status >= 300) {
                // The body of a failure is the remote's: it is not read, nor shown.
                request.cancel();
                return new Answer(status, null, retryAfter);
            }
            return new Answer(status, read(response.getEntity(), request, shown), retryAfter);
        } finally {
            try {
                response.close();
            } catch (IOException dropped) {
                // a connection cancelled on purpose
            }
        }
    }

    private byte[] read(HttpEntity entity, HttpGet request, String shown) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        long announced = entity.getContentLength();
        int max = limits.maxResponseBytes();
        if (announced > max) {
            request.cancel();
            throw new TdException(TdException.RESPONSE_TOO_LARGE, "GET " + shown + " announced " + announced
                    + " bytes, more than the limit of " + max, 200, null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(announced, 8192), max));
        byte[] buffer = new byte[16384];
        try (InputStream in = entity.getContent()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (out.size() + n > max) {
                    request.cancel();
                    throw new TdException(TdException.RESPONSE_TOO_LARGE, "GET " + shown + " sent more than the limit of "
                            + max + " bytes", 200, null);
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    private JsonNode parse(byte[] body, String shown) throws TdException {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new TdException(TdException.INVALID_RESPONSE, "GET " + shown + " answered an empty body", 200, null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new TdException(TdException.INVALID_RESPONSE, "GET " + shown + " did not answer JSON", 200, null);
        } catch (IOException e) {
            throw new TdException(TdException.INVALID_RESPONSE, "GET " + shown + " answered unreadable JSON", 200, null);
        }
    }

    /** {@code initialBackoff × 2^(attempt-1)}, at most {@code maxBackoff}. */
    Duration backoff(int attempt) {
        Duration wait = limits.initialBackoff();
        for (int i = 1; i < attempt && wait.compareTo(limits.maxBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(limits.maxBackoff()) > 0 ? limits.maxBackoff() : wait;
    }

    /**
     * The wait a {@code Retry-After} asks for (delay-seconds or an HTTP date), at most {@code maxBackoff};
     * the backoff when it is missing or unreadable.
     */
    Duration retryAfter(String header, int attempt) {
        if (header == null || header.isBlank()) {
            return backoff(attempt);
        }
        String value = header.strip();
        Duration asked;
        if (value.matches("[0-9]{1,10}")) {
            asked = Duration.ofSeconds(Long.parseLong(value));
        } else {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                asked = Duration.between(clock.instant(), at);
                if (asked.isNegative()) {
                    asked = Duration.ZERO;
                }
            } catch (DateTimeParseException e) {
                return backoff(attempt);
            }
        }
        return asked.compareTo(limits.maxBackoff()) > 0 ? limits.maxBackoff() : asked;
    }

    /** Timeouts, resets, refused or dropped connections: worth another try. */
    private static boolean transientFailure(IOException e) {
        return e instanceof InterruptedIOException || e instanceof SocketException || e instanceof NoHttpResponseException
                || e instanceof ConnectionClosedException || e instanceof ConnectException || e instanceof NoRouteToHostException
                || e instanceof org.apache.hc.core5.http.MalformedChunkCodingException
                || e instanceof org.apache.hc.core5.http.TruncatedChunkException;
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
