package io.jobplane.systemtest;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real OTLP/HTTP trace receiver (protobuf, {@code POST /v1/traces}) that keeps every span the services
 * export. The request is read with protobuf's generic reader, by the field numbers of the OTLP protocol
 * (opentelemetry-proto {@code collector/trace/v1} and {@code trace/v1}), which are stable.
 */
final class OtlpReceiver implements AutoCloseable {

    /** A span as exported: its service ({@code service.name}), ids in hex (parent empty for a root), name, kind, attributes. */
    record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
            Map<String, String> attributes) {
    }

    /** OTLP's {@code Span.SpanKind}. */
    static final int SERVER = 2;
    static final int PRODUCER = 4;
    static final int CONSUMER = 5;

    // ExportTraceServiceRequest.resource_spans; ResourceSpans.resource, .scope_spans; Resource.attributes;
    // ScopeSpans.spans; Span.trace_id, .span_id, .parent_span_id, .name, .kind, .attributes; KeyValue.key, .value;
    // AnyValue.string_value (other value kinds are kept as their text form).
    private static final int RESOURCE_SPANS = 1;
    private static final int RESOURCE = 1;
    private static final int SCOPE_SPANS = 2;
    private static final int RESOURCE_ATTRIBUTES = 1;
    private static final int SPANS = 2;
    private static final int TRACE_ID = 1;
    private static final int SPAN_ID = 2;
    private static final int PARENT_SPAN_ID = 4;
    private static final int NAME = 5;
    private static final int KIND = 6;
    private static final int SPAN_ATTRIBUTES = 9;
    private static final int KEY = 1;
    private static final int VALUE = 2;
    private static final int STRING_VALUE = 1;

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free port of the loopback interface. */
    static OtlpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        OtlpReceiver receiver = new OtlpReceiver(server);
        server.createContext("/", receiver::handle);
        server.start();
        return receiver;
    }

    /** The base URL to configure as {@code quarkus.otel.exporter.otlp.traces.endpoint}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** What could not be read (a wrong path, method or body); empty when every export was taken. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith("/v1/traces")) {
                refused.add(exchange.getRequestMethod() + " " + path);
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                read(UnknownFieldSet.parseFrom(body));
            } catch (IOException | RuntimeException e) {
                refused.add("unreadable export: " + e);
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            // An empty ExportTraceServiceResponse: everything accepted.
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private void read(UnknownFieldSet request) throws IOException {
        for (ByteString resourceSpans : request.getField(RESOURCE_SPANS).getLengthDelimitedList()) {
            UnknownFieldSet rs = UnknownFieldSet.parseFrom(resourceSpans);
            String service = "";
            for (ByteString resource : rs.getField(RESOURCE).getLengthDelimitedList()) {
                service = attributes(UnknownFieldSet.parseFrom(resource), RESOURCE_ATTRIBUTES).getOrDefault("service.name", "");
            }
            for (ByteString scopeSpans : rs.getField(SCOPE_SPANS).getLengthDelimitedList()) {
                for (ByteString bytes : UnknownFieldSet.parseFrom(scopeSpans).getField(SPANS).getLengthDelimitedList()) {
                    UnknownFieldSet span = UnknownFieldSet.parseFrom(bytes);
                    spans.add(new ReceivedSpan(service, hex(span, TRACE_ID), hex(span, SPAN_ID), hex(span, PARENT_SPAN_ID),
                            text(span, NAME), (int) span.getField(KIND).getVarintList().stream().findFirst().orElse(0L).longValue(),
                            attributes(span, SPAN_ATTRIBUTES)));
                }
            }
        }
    }

    private static Map<String, String> attributes(UnknownFieldSet holder, int field) throws IOException {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (ByteString kv : holder.getField(field).getLengthDelimitedList()) {
            UnknownFieldSet pair = UnknownFieldSet.parseFrom(kv);
            String value = "";
            for (ByteString any : pair.getField(VALUE).getLengthDelimitedList()) {
                UnknownFieldSet anyValue = UnknownFieldSet.parseFrom(any);
                value = anyValue.hasField(STRING_VALUE) ? text(anyValue, STRING_VALUE) : anyValue.toString().strip();
            }
            attributes.put(text(pair, KEY), value);
        }
        return attributes;
    }

    private static String text(UnknownFieldSet message, int field) {
        List<ByteString> values = message.getField(field).getLengthDelimitedList();
        return values.isEmpty() ? "" : values.get(0).toStringUtf8();
    }

    private static String hex(UnknownFieldSet message, int field) {
        List<ByteString> values = message.getField(field).getLengthDelimitedList();
        return values.isEmpty() ? "" : HexFormat.of().formatHex(values.get(0).toByteArray());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
