package io.jobplane.worker.reverseetl;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.SealedValue;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;

/**
 * The destination of a reverse ETL run: an {@code http} connection with its secrets opened. Every
 * request carries the connection's plain {@code headers}, its secret headers and its credentials
 * ({@code auth_token} as {@code Authorization: Bearer …}, else {@code username} + {@code password}
 * as basic authentication). Secret headers arrive as one sealed field per header
 * ({@code secret_headers.<name>}) or as one sealed JSON object ({@code secret_headers}). Messages
 * that leave it are scrubbed of every secret value, in case a receiver echoes one back.
 */
public final class HttpReceiver {

    private static final String SECRET_HEADER = "secret_headers.";
    /** Headers the HTTP client sets itself; a connection cannot set them. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    /** Headers of the protocol between the worker and the receiver; the worker's value wins. */
    private static final Set<String> OWN = Set.of("content-type", "idempotency-key", "content-digest");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Map<String, String> headers;
    private final List<String> secrets;

    private HttpReceiver(URI base, Map<String, String> headers, List<String> secrets) {
        this.base = base;
        this.headers = headers;
        this.secrets = secrets;
    }

    /** The receiver cannot be used as configured; the message is safe to publish. */
    public static final class Unusable extends Exception {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    /** Opens the connection's secrets; {@code Unusable} says what is wrong with the connection. */
    public static HttpReceiver open(ConnectionSpec spec, String workspace, SecretKeyring keyring) throws Unusable {
        if (spec == null || spec.baseUrl() == null || spec.baseUrl().isBlank()) {
            throw new Unusable("the job's destination is not an http connection with a base_url");
        }
        URI base;
        try {
            base = new URI(spec.baseUrl().strip());
        } catch (URISyntaxException e) {
            throw new Unusable("the destination's base_url is not a URL: " + e.getReason());
        }
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
            throw new Unusable("the destination's base_url must be an http:// or https:// URL with a host");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        if (spec.headers() != null) {
            spec.headers().forEach((name, value) -> headers.put(name, value));
        }
        Map<String, SealedValue> sealed = spec.secrets() == null ? Map.of() : spec.secrets();
        SecretOwner owner = SecretOwner.connection(workspace, spec.connectionId());
        try {
            for (Map.Entry<String, SealedValue> e : new java.util.TreeMap<>(sealed).entrySet()) {
                if (e.getKey().startsWith(SECRET_HEADER)) {
                    String value = keyring.open(e.getValue(), owner, e.getKey());
                    secrets.add(value);
                    headers.put(e.getKey().substring(SECRET_HEADER.length()), value);
                } else if (e.getKey().equals("secret_headers")) {
                    Map<String, String> object = JSON.readValue(keyring.open(e.getValue(), owner, e.getKey()), new TypeReference<Map<String, String>>() {
                    });
                    secrets.addAll(object.values());
                    headers.putAll(object);
                }
            }
            SealedValue token = spec.secret("auth_token");
            if (token != null) {
                String value = keyring.open(token, owner, "auth_token");
                secrets.add(value);
                headers.put("Authorization", "Bearer " + value);
            } else if (spec.username() != null) {
                String password = spec.password() == null ? "" : keyring.open(spec.password(), owner, "password");
                secrets.add(password);
                String basic = Base64.getEncoder().encodeToString((spec.username() + ":" + password).getBytes(StandardCharsets.UTF_8));
                secrets.add(basic);
                headers.put("Authorization", "Basic " + basic);
            }
        } catch (Exception e) {
            // Say which kind of failure without echoing anything the secret may have contained.
            throw new Unusable("cannot open the destination's secrets (" + e.getClass().getSimpleName() + ")");
        }
        for (String name : headers.keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESTRICTED.contains(lower) || OWN.contains(lower)) {
                throw new Unusable("the destination sets the header '" + name + "', which the worker sets itself; remove it from "
                        + "the connection's headers/secret_headers");
            }
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new Unusable("the destination's header name '" + name + "' is not a valid HTTP header name");
            }
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getValue() == null || e.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new Unusable("the destination's header '" + e.getKey() + "' has no value or a line break in it");
            }
        }
        secrets.removeIf(s -> s == null || s.isEmpty());
        return new HttpReceiver(base, headers, List.copyOf(secrets));
    }

    /** Where a task's batches go: the base URL with the task's path appended. */
    public URI target(String path) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        String joined = (basePath.endsWith("/") ? basePath : basePath + "/") + path;
        StringBuilder uri = new StringBuilder(base.getScheme()).append("://").append(base.getRawAuthority()).append(joined);
        if (base.getRawQuery() != null) {
            uri.append('?').append(base.getRawQuery());
        }
        return URI.create(uri.toString());
    }

    /** A POST of a JSON body to the target with the connection's headers and the given ones. */
    public HttpPost post(URI target, byte[] body, Map<String, String> own) {
        HttpPost request = new HttpPost(target);
        if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("user-agent"))) {
            request.addHeader("User-Agent", "jobplane");
        }
        headers.forEach(request::addHeader);
        own.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                request.setHeader(name, value);
            }
        });
        request.setEntity(new ByteArrayEntity(body, ContentType.create("application/json")));
        return request;
    }

    /** The URL as it may be shown: scheme, host, port and path; no user info or query. */
    public static String display(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** The text with every secret value of the connection replaced by {@code ***}. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, "***");
        }
        return out;
    }
}
