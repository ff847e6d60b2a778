package io.ascall.engineer.support;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.RestAssured;

/**
 * A Server-Sent Events client on a plain socket (HTTP/1.1), as an engineer's app would be: it
 * reads the stream in the background, parses it as the SSE specification says, and keeps every
 * event and comment line for tests to look at. It can also connect and then not read at all, as a
 * stalled client does, and tells a stream the server ended cleanly (the last chunk of the chunked
 * response) from a connection the server cut.
 *
 * <p>A request sent without an Authorization header is sent with the token of the engineer whose
 * stream it asks for ({@link Engineers#tokenOf}), as that engineer's app would.
 */
public final class SseClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Socket socket;
    private final InputStream in;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final CountDownLatch headRead = new CountDownLatch(1);
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private volatile int status;
    private volatile boolean ended;
    private volatile boolean endedCleanly;
    private volatile long bytesRead;

    /** One dispatched event: its {@code id} field (null when it had none), {@code event} name and {@code data}. */
    public record Event(String id, String name, String data) {

        public long seq() {
            return Long.parseLong(id);
        }

        public Map<String, Object> json() {
            try {
                return JSON.readValue(data, new TypeReference<Map<String, Object>>() {});
            } catch (IOException e) {
                throw new AssertionError("Not a JSON object: " + data, e);
            }
        }
    }

    private SseClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Opens {@code GET <path>} on the application under test, with these headers, and reads it in the background. */
    public static SseClient open(String path, String... headerNamesAndValues) {
        return open(RestAssured.port, path, headerNamesAndValues);
    }

    public static SseClient open(int port, String path, String... headerNamesAndValues) {
        SseClient client = connect(port, path, 0, headerNamesAndValues);
        client.startReading();
        client.awaitHead();
        return client;
    }

    /**
     * Sends the request and reads nothing, not even the answer's head, until {@link #startReading()}:
     * a client that stopped reading. Its receive buffer is made small, so that what the server
     * sends fills it soon.
     */
    public static SseClient stalled(String path, String... headerNamesAndValues) {
        return connect(RestAssured.port, path, 4096, headerNamesAndValues);
    }

    private static SseClient connect(int port, String path, int receiveBuffer, String... headerNamesAndValues) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            StringBuilder request = new StringBuilder(
                    "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n");
            boolean authorization = false;
            for (int i = 0; i < headerNamesAndValues.length; i += 2) {
                authorization |= headerNamesAndValues[i].equalsIgnoreCase("Authorization");
                request.append(headerNamesAndValues[i])
                        .append(": ")
                        .append(headerNamesAndValues[i + 1])
                        .append("\r\n");
            }
            if (!authorization) {
                request.append("Authorization: Bearer ")
                        .append(Engineers.tokenOf(engineerOf(path)))
                        .append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new SseClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The engineer id of a stream's path, {@code /engineers/{id}/assignments/stream}. */
    private static String engineerOf(String path) {
        String[] segments = path.split("[/?]");
        if (segments.length < 3 || !segments[1].equals("engineers")) {
            throw new IllegalArgumentException("Not an engineer's stream: " + path);
        }
        return segments[2];
    }

    /** Reads the answer in the background from now on. */
    public void startReading() {
        Thread reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    public int status() {
        awaitHead();
        return status;
    }

    public String header(String name) {
        awaitHead();
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body of an answer that is not a stream (an error). */
    public String body() {
        await().atMost(Duration.ofSeconds(10)).until(() -> ended);
        synchronized (body) {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** The events other than {@code stream-opened}, in order. */
    public List<Event> feedEvents() {
        return events.stream()
                .filter(event -> !"stream-opened".equals(event.name()))
                .toList();
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    /** Whether the stream or the connection ended. */
    public boolean ended() {
        return ended;
    }

    /** Whether the server ended the response properly (its last chunk), rather than cutting the connection. */
    public boolean endedCleanly() {
        return endedCleanly;
    }

    public long bytesRead() {
        return bytesRead;
    }

    public Event awaitEvent(Predicate<Event> wanted, Duration timeout) {
        return await().atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> events.stream().filter(wanted).findFirst(), found -> found.isPresent())
                .get();
    }

    /** Waits for the event with this name about this call, and answers it. */
    public Event awaitEvent(String name, Object callId) {
        return awaitEvent(
                event -> name.equals(event.name())
                        && callId.toString().equals(event.json().get("callId")),
                Duration.ofSeconds(30));
    }

    public Event awaitOpened() {
        return awaitEvent(event -> "stream-opened".equals(event.name()), Duration.ofSeconds(20));
    }

    /** Waits until the stream has delivered the entry with this id (or a later one). */
    public void awaitSeq(long seq, Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> feedEvents().stream().anyMatch(event -> event.seq() >= seq));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void awaitHead() {
        try {
            if (!headRead.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("No answer within 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try {
            String statusLine = line();
            status = Integer.parseInt(statusLine.split(" ")[1]);
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                headers.put(
                        header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim());
            }
            headRead.countDown();
            SseParser parser = new SseParser();
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(line().split(";")[0].trim(), 16);
                        size > 0;
                        size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                    parser.accept(exactly(size));
                    line();
                }
                endedCleanly = true;
            } else if (headers.containsKey("content-length")) {
                parser.accept(exactly(Integer.parseInt(headers.get("content-length"))));
                endedCleanly = true;
            } else {
                byte[] buffer = new byte[8192];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    bytesRead += n;
                    parser.accept(java.util.Arrays.copyOf(buffer, n));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the connection was cut (by the server, or by close())
        } finally {
            ended = true;
            headRead.countDown();
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException();
            }
            bytesRead++;
            if (b != '\r') {
                line.write(b);
            }
        }
        bytesRead++;
        return line.toString(StandardCharsets.UTF_8);
    }

    private byte[] exactly(int size) throws IOException {
        byte[] bytes = in.readNBytes(size);
        bytesRead += bytes.length;
        if (bytes.length < size) {
            throw new EOFException();
        }
        return bytes;
    }

    /** The SSE parser of the specification, fed with the bytes of the body as they come. */
    private final class SseParser {

        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private StringBuilder data;
        private String id;
        private String name;

        void accept(byte[] bytes) {
            synchronized (body) {
                body.writeBytes(bytes);
            }
            for (byte b : bytes) {
                if (b == '\n') {
                    line(pending.toString(StandardCharsets.UTF_8));
                    pending.reset();
                } else if (b != '\r') {
                    pending.write(b);
                }
            }
        }

        private void line(String line) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new Event(id, name == null ? "message" : name, data.toString()));
                }
                data = null;
                id = null;
                name = null;
                return;
            }
            if (line.startsWith(":")) {
                comments.add(line.substring(1));
                return;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> name = value;
                case "data" ->
                    data = data == null
                            ? new StringBuilder(value)
                            : data.append('\n').append(value);
                default -> {
                    // retry and unknown fields: not used by these tests
                }
            }
        }
    }
}
