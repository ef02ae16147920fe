package io.jobplane.stack.cli.user;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The native API as the user commands call it: one base URL, one bearer token, JSON in and out.
 * A 4xx or 5xx becomes an {@link ApiError}; an API that cannot be reached a {@link CliFailure} saying so.
 */
public final class ApiClient {

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** An answer of the API: its status, one header the caller may need, and its JSON body (null node when empty). */
    public record Answer(int status, JsonNode body, HttpResponse<String> raw) {

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String token;

    public ApiClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A path under the workspace, e.g. {@code ws("finance", "/jobs")}. */
    public static String ws(String workspace, String path) {
        return "/api/v1/workspaces/" + encode(workspace) + path;
    }

    /** A path segment or query value, percent-encoded. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code ?a=1&b=2} of the pairs whose value is not null (a value may repeat a name: pass it as several pairs). */
    public static String query(Object... namesAndValues) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                q.add(encode(namesAndValues[i].toString()) + "=" + encode(namesAndValues[i + 1].toString()));
            }
        }
        return q.toString();
    }

    public JsonNode get(String path) {
        return send("GET", path, null, Map.of()).body();
    }

    /** Sends the request; any 2xx is the answer, anything else an {@link ApiError}. */
    public Answer send(String method, String path, JsonNode body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        try {
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = parse(r.body());
            if (r.statusCode() / 100 != 2) {
                throw error(r.statusCode(), json, r.body());
            }
            return new Answer(r.statusCode(), json, r);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw unreachable();
        } catch (HttpTimeoutException e) {
            throw new CliFailure("the jobplane API at " + baseUrl + " did not answer " + method + " " + path + " within 60 s");
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException) {
                throw unreachable();
            }
            throw new CliFailure("cannot talk to the jobplane API at " + baseUrl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted");
        }
    }

    private CliFailure unreachable() {
        return new CliFailure("cannot reach the jobplane API at " + baseUrl + " (connection refused). Is the platform running"
                + " (./jobplane status)? Point the CLI at it with --url, JOBPLANE_URL or jobplane login --url.");
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return NullNode.getInstance();
        }
    }

    /** The API's error body as an {@link ApiError}; a body not in its shape (a proxy's page) keeps its text. */
    static ApiError error(int status, JsonNode json, String text) {
        if (json.hasNonNull("error_code")) {
            return new ApiError(status, json.get("error_code").asText(), json.path("error_msg").asText(""),
                    json.path("solution_msg").asText(null), json.path("request_id").asText(null));
        }
        String shown = text == null ? "" : text.strip();
        return new ApiError(status, "HTTP_" + status, shown.isEmpty() ? "the API answered " + status
                : shown.substring(0, Math.min(300, shown.length())), null, null);
    }
}
