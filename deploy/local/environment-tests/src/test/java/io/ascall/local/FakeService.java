package io.ascall.local;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for a packaged Quarkus service in {@link ServiceProcessTest}: serves
 * {@code /q/health/ready} on {@code quarkus.http.host}:{@code quarkus.http.port}.
 * {@code -Dfake.fail=true} exits at once with code 3; {@code -Dfake.ready=false} answers 503.
 */
public final class FakeService {

    private FakeService() {}

    public static void main(String[] args) throws IOException {
        if (Boolean.getBoolean("fake.fail")) {
            System.out.println("fake failure on purpose");
            System.exit(3);
        }
        String host = System.getProperty("quarkus.http.host");
        int port = Integer.getInteger("quarkus.http.port");
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/q/health/ready", FakeService::ready);
        server.start();
        System.out.println("fake service listening on " + host + ":" + port);
    }

    private static void ready(HttpExchange exchange) throws IOException {
        boolean ready = !"false".equals(System.getProperty("fake.ready"));
        String body = "{\"status\":\"" + (ready ? "UP" : "DOWN") + "\",\"greeting\":\""
                + System.getProperty("fake.greeting") + "\",\"env\":\"" + System.getenv("FAKE_ENV") + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(ready ? 200 : 503, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
