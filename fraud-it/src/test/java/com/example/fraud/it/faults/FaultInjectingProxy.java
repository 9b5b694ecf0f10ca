package com.example.fraud.it.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy in front of the Kinesis emulator that answers PutRecords with a fault chosen at run time.
 * Every other call, and PutRecords while the fault is {@link Fault#NONE} or {@link Fault#SLOW}, reaches the
 * emulator. Answers are in the protocol of the request: JSON or CBOR (the AWS SDK's default for Kinesis).
 */
public final class FaultInjectingProxy implements AutoCloseable {
    private static final String PUT_RECORDS = "Kinesis_20131202.PutRecords";
    private static final String THROTTLED = "ProvisionedThroughputExceededException";
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "date");

    /** What PutRecords gets. */
    public enum Fault {
        /** Forwarded. */
        NONE,
        /** HTTP 400 ProvisionedThroughputExceededException: the whole request fails. */
        THROTTLE,
        /** HTTP 200 with every entry failed with ProvisionedThroughputExceededException. */
        THROTTLE_ENTRIES,
        /** HTTP 500 InternalFailure. */
        ERROR_500,
        /** HTTP 503 ServiceUnavailable. */
        ERROR_503,
        /** Forwarded after a delay. */
        SLOW,
        /** Status line and part of the body, then the connection is closed. */
        DROP
    }

    private final URI target;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Fault, AtomicLong> putRecords = new EnumMap<>(Fault.class);
    private final Set<String> contentTypes = ConcurrentHashMap.newKeySet();
    private volatile Fault fault = Fault.NONE;
    private volatile Duration slowDelay = Duration.ofSeconds(3);

    private FaultInjectingProxy(URI target) throws IOException {
        this.target = target;
        for (Fault f : Fault.values()) {
            putRecords.put(f, new AtomicLong());
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A proxy on a free port of 127.0.0.1 that forwards to {@code target}. */
    public static FaultInjectingProxy start(URI target) throws IOException {
        return new FaultInjectingProxy(target);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void fault(Fault fault) {
        this.fault = fault;
    }

    public Fault fault() {
        return fault;
    }

    public void slowDelay(Duration delay) {
        this.slowDelay = delay;
    }

    /** PutRecords calls answered while {@code fault} was set. */
    public long putRecords(Fault fault) {
        return putRecords.get(fault).get();
    }

    /** Content types of the PutRecords calls seen. */
    public Set<String> contentTypes() {
        return Set.copyOf(contentTypes);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String operation = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            Fault now = PUT_RECORDS.equals(operation) ? fault : Fault.NONE;
            if (PUT_RECORDS.equals(operation)) {
                putRecords.get(now).incrementAndGet();
                contentTypes.add(contentType);
            }
            boolean cbor = contentType.contains("cbor");
            switch (now) {
                case THROTTLE:
                    error(exchange, cbor, 400, THROTTLED, "Rate exceeded for shard shardId-000000000000");
                    return;
                case THROTTLE_ENTRIES:
                    failEveryEntry(exchange, cbor, body);
                    return;
                case ERROR_500:
                    error(exchange, cbor, 500, "InternalFailure", "injected 500");
                    return;
                case ERROR_503:
                    error(exchange, cbor, 503, "ServiceUnavailable", "injected 503");
                    return;
                case DROP:
                    exchange.sendResponseHeaders(200, 1_000);
                    exchange.getResponseBody().write(new byte[10]);
                    exchange.getResponseBody().flush();
                    return;
                case SLOW:
                    Thread.sleep(slowDelay.toMillis());
                    forward(exchange, body);
                    return;
                default:
                    forward(exchange, body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // The client sees a dropped connection; nothing to report here.
        } finally {
            // Closing short of a declared length (DROP) drops the connection.
            exchange.close();
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                for (String v : h.getValue()) {
                    request.header(h.getKey(), v);
                }
            }
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        send(exchange, response.statusCode(), response.body());
    }

    private static void error(HttpExchange exchange, boolean cbor, int status, String type, String message)
            throws IOException {
        exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
        byte[] body;
        if (cbor) {
            Cbor.Writer w = new Cbor.Writer().map(2).text("__type").text(type).text("message").text(message);
            body = w.bytes();
        } else {
            body = ("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().add("Content-Type", contentType(cbor));
        send(exchange, status, body);
    }

    /** A 200 whose every entry failed: the connector's partial-failure path, with nothing written. */
    private static void failEveryEntry(HttpExchange exchange, boolean cbor, byte[] request) throws IOException {
        int entries = cbor ? Cbor.arrayLength(request, "Records") : jsonRecordCount(request);
        String message = "Rate exceeded for shard shardId-000000000000 in stream fraud-alerts";
        byte[] body;
        if (cbor) {
            Cbor.Writer w = new Cbor.Writer().map(2).text("FailedRecordCount").integer(entries)
                    .text("Records").array(entries);
            for (int i = 0; i < entries; i++) {
                w.map(2).text("ErrorCode").text(THROTTLED).text("ErrorMessage").text(message);
            }
            body = w.bytes();
        } else {
            StringBuilder json = new StringBuilder("{\"FailedRecordCount\":" + entries + ",\"Records\":[");
            for (int i = 0; i < entries; i++) {
                json.append(i == 0 ? "" : ",").append("{\"ErrorCode\":\"").append(THROTTLED)
                        .append("\",\"ErrorMessage\":\"").append(message).append("\"}");
            }
            body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().add("Content-Type", contentType(cbor));
        send(exchange, 200, body);
    }

    /** Entries in a JSON PutRecords request: each has exactly one "PartitionKey". */
    private static int jsonRecordCount(byte[] request) {
        String json = new String(request, StandardCharsets.UTF_8);
        int count = 0;
        for (int i = json.indexOf("\"PartitionKey\""); i >= 0; i = json.indexOf("\"PartitionKey\"", i + 1)) {
            count++;
        }
        return count;
    }

    private static String contentType(boolean cbor) {
        return cbor ? "application/x-amz-cbor-1.1" : "application/x-amz-json-1.1";
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
