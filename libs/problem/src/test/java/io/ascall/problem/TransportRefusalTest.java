package io.ascall.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/**
 * What the HTTP layer refuses before Quarkus REST sees the request is a problem too. Over a raw
 * socket: no HTTP client sends a malformed percent-escape or an oversized request line. Each of
 * these answered a bare status with an empty body before {@link TransportGuard}.
 */
@QuarkusTest
class TransportRefusalTest {

    private static final String VALID_ORDER =
            "{\"customerId\":\"c-1\",\"amount\":30000,\"ratio\":0.5,\"urgent\":false,\"appliance\":\"WASHER\"}";

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    record Answer(int status, Map<String, String> headers, String body) {
        Map<?, ?> problem() throws IOException {
            assertEquals("application/problem+json", headers.get("content-type"), "a problem: " + this);
            Map<?, ?> problem = new ObjectMapper().readValue(body, Map.class);
            assertEquals(status, problem.get("status"));
            assertTrue(((String) problem.get("type")).startsWith("urn:ascall:problem:"), body);
            assertTrue(problem.get("title") != null && problem.get("detail") != null, body);
            return problem;
        }
    }

    private Answer send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketException reset) {
                // the server closes after refusing: what it sent before is the answer
            }
            return parse(received.toString(StandardCharsets.UTF_8));
        }
    }

    private static Answer parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        String[] head = raw.substring(0, end).split("\r\n");
        Map<String, String> headers = new java.util.HashMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.put(
                    head[i].substring(0, colon).toLowerCase(),
                    head[i].substring(colon + 1).trim());
        }
        return new Answer(Integer.parseInt(head[0].split(" ")[1]), headers, raw.substring(end + 4));
    }

    private static String get(String target, String... headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + String.join("", headers)
                + "Connection: close\r\n\r\n";
    }

    private static String post(String body, String framing) {
        return "POST /probe/orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + framing
                + "Connection: close\r\n\r\n" + body;
    }

    @Test
    void aMalformedPercentEscapeInTheQueryIsAProblem() throws IOException {
        Answer answer = send(get("/probe/orders?customerId=%zz"));
        assertEquals(400, answer.status());
        assertEquals("urn:ascall:problem:malformed-uri", answer.problem().get("type"));
        assertEquals("/probe/orders", answer.problem().get("instance"));
    }

    @Test
    void aMalformedPercentEscapeInThePathIsAProblemWhoseInstanceIsStillAUri() throws IOException {
        Answer answer = send(get("/probe/%E0%A4%A"));
        assertEquals(400, answer.status());
        assertEquals("/probe/%E0%A4", answer.problem().get("instance"));
    }

    @Test
    void aRequestLineOverTheLimitIsAProblem() throws IOException {
        Answer answer = send(get("/probe/orders?customerId=" + "a".repeat(5000)));
        assertEquals(414, answer.status());
        assertEquals("urn:ascall:problem:uri-too-long", answer.problem().get("type"));
        assertEquals("close", answer.headers().get("connection"));
    }

    @Test
    void headersOverTheLimitAreAProblem() throws IOException {
        Answer answer = send(get("/probe/orders", "X-Padding: " + "a".repeat(25_000) + "\r\n"));
        assertEquals(431, answer.status());
        assertEquals("urn:ascall:problem:headers-too-large", answer.problem().get("type"));
    }

    @Test
    void aBodyAnnouncedOverTheLimitIsAProblemBeforeItIsSent() throws IOException {
        Answer answer = send(post("{}", "Content-Length: 99999999\r\n"));
        assertEquals(413, answer.status());
        assertEquals("urn:ascall:problem:content-too-large", answer.problem().get("type"));
    }

    @Test
    void aChunkedBodyThatGrowsOverTheLimitIsAProblem() throws IOException {
        String json = "{\"customerId\":\"" + "a".repeat(8000) + "\"}";
        Answer answer = send(post(
                Integer.toHexString(json.length()) + "\r\n" + json + "\r\n0\r\n\r\n",
                "Transfer-Encoding: chunked\r\n"));
        assertEquals(413, answer.status());
        answer.problem();
    }

    @Test
    void aChunkedBodyUnderTheLimitIsReadAsBefore() throws IOException {
        Answer answer = send(post(
                Integer.toHexString(VALID_ORDER.length()) + "\r\n" + VALID_ORDER + "\r\n0\r\n\r\n",
                "Transfer-Encoding: chunked\r\n"));
        assertEquals(200, answer.status(), answer.body());
    }

    @Test
    void anEmptyChunkedBodyIsAMissingBody() throws IOException {
        Answer answer = send(post("0\r\n\r\n", "Transfer-Encoding: chunked\r\n"));
        assertEquals(400, answer.status(), answer.body());
        assertEquals("urn:ascall:problem:validation", answer.problem().get("type"));
    }

    @Test
    void requestsJustUnderTheLimitsAreServed() throws IOException {
        String query = "/probe/orders?customerId=" + "a".repeat(4000);
        assertEquals(200, send(get(query)).status());
        assertEquals(
                200,
                send(get("/probe/orders", "X-Padding: " + "a".repeat(19_000) + "\r\n"))
                        .status());
    }

    /** Netty's own refusal stays, far beyond the limits (64 KiB): bare, as before. */
    @Test
    void beyondNettysCeilingTheRefusalIsNettys() throws IOException {
        Answer answer = send(get("/probe/orders?customerId=" + "a".repeat(70_000)));
        assertEquals(414, answer.status());
    }
}
