package io.ascall.call.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

/**
 * An HTTP proxy between call-service and the real payment-service process, to make
 * payment-service slow or unreachable on demand (like toxiproxy), and to count the requests that
 * actually got through (to prove that an open circuit breaker keeps them away).
 */
public final class FaultyProxy implements AutoCloseable {

    public enum Mode {
        /** Forward as is. */
        PASS,
        /** Forward, and hold payment-service's answer back for {@link #delay}: a slow payment-service. */
        SLOW,
        /** Drop the connection without an answer, as a dead host would. */
        DEAD
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final HttpClient upstream;
    private final int upstreamPort;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.PASS;
    private volatile Duration delay = Duration.ZERO;

    public FaultyProxy(int upstreamPort) {
        this.upstreamPort = upstreamPort;
        this.upstream = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1"));
        this.server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("proxy did not start", e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    public void pass() {
        mode = Mode.PASS;
    }

    public void slow(Duration delay) {
        this.delay = delay;
        mode = Mode.SLOW;
    }

    public void dead() {
        mode = Mode.DEAD;
    }

    /** Requests that reached payment-service (or would have, but for the proxy's mode), as "METHOD /path". */
    public List<String> received() {
        return List.copyOf(received);
    }

    public long count(String methodAndPath) {
        return received.stream().filter(methodAndPath::equals).count();
    }

    private void handle(HttpServerRequest request) {
        received.add(request.method() + " " + request.path());
        Mode current = mode;
        if (current == Mode.DEAD) {
            request.connection().close();
            return;
        }
        request.body()
                .compose(body -> {
                    RequestOptions options = new RequestOptions()
                            .setMethod(request.method())
                            .setPort(upstreamPort)
                            .setHost("127.0.0.1")
                            .setURI(request.uri());
                    request.headers().forEach(h -> {
                        if (!h.getKey().equalsIgnoreCase("host") && !h.getKey().equalsIgnoreCase("content-length")) {
                            options.addHeader(h.getKey(), h.getValue());
                        }
                    });
                    return upstream.request(options)
                            .compose(out -> out.send(body))
                            .compose(response -> response.body().map(answer -> {
                                Runnable reply = () -> {
                                    var out = request.response().setStatusCode(response.statusCode());
                                    response.headers().forEach(h -> {
                                        if (!h.getKey().equalsIgnoreCase("content-length")) {
                                            out.putHeader(h.getKey(), h.getValue());
                                        }
                                    });
                                    out.end(answer);
                                };
                                if (current == Mode.SLOW) {
                                    vertx.setTimer(Math.max(1, delay.toMillis()), id -> reply.run());
                                } else {
                                    reply.run();
                                }
                                return answer;
                            }));
                })
                .onFailure(e -> request.connection().close());
    }

    @Override
    public void close() {
        vertx.close()
                .toCompletionStage()
                .toCompletableFuture()
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }
}
