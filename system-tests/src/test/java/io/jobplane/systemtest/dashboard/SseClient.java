package io.jobplane.systemtest.dashboard;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test client of the run stream: reads its Server-Sent Events on a thread of its own, as a browser would. */
final class SseClient implements AutoCloseable {

    /** One event: its name, id and data; a comment line counts in {@link #comments}. */
    record Event(String name, String id, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final InputStream body;
    private final Thread reader;
    private volatile int comments;
    private volatile boolean ended;

    private SseClient(InputStream body) {
        this.body = body;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream; fails unless it answers 200 with text/event-stream. */
    static SseClient open(String url, String token, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("stream answered " + response.statusCode() + ": " + text);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/event-stream")) {
            throw new AssertionError("stream answered Content-Type " + type);
        }
        return new SseClient(response.body());
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = null;
            String id = null;
            List<String> data = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (name != null || !data.isEmpty()) {
                        events.add(new Event(name == null ? "message" : name, id, String.join("\n", data)));
                    }
                    name = null;
                    id = null;
                    data = new ArrayList<>();
                } else if (line.startsWith(":")) {
                    comments++;
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.add(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                }
            }
        } catch (Exception e) {
            // closed
        } finally {
            ended = true;
        }
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    /** The events whose data names the run. */
    List<Event> ofRun(String runId) {
        return events.stream().filter(e -> e.data().contains("\"run_id\":\"" + runId + "\"")).toList();
    }

    /** The id of the last event that had one: what a reconnecting client sends as Last-Event-ID. */
    String lastEventId() {
        String last = null;
        for (Event e : events) {
            if (e.id() != null && !e.id().isEmpty()) {
                last = e.id();
            }
        }
        return last;
    }

    int comments() {
        return comments;
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
