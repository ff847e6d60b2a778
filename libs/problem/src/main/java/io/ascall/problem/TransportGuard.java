package io.ascall.problem;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

import org.jboss.logging.Logger;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.impl.RoutingContextInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The refusals of the HTTP layer as problems. Quarkus and Vert.x refuse a request that is too large
 * or not a URI before Quarkus REST sees it, with a bare status and an empty body: 413 (body), 414
 * (request line), 431 (headers), 400 (a malformed percent-escape). Here the same refusals are made
 * first, on the router, with a problem body and {@code Connection: close} (the rest of an oversized
 * request is not read).
 *
 * <ul>
 *   <li>Request line and headers: checked against {@link RequestLimits}; Netty's own limits are set
 *       far higher (this library's config) so that it only refuses what no client sends by mistake.
 *   <li>Body: one that announces a Content-Length over {@link RequestLimits#body()} is refused
 *       before it is read; a chunked one (no length) is read here up to the limit by Vert.x's body
 *       handler, and Quarkus REST takes the body read (else Quarkus REST would answer a bare 413
 *       mid-stream).
 *   <li>URI: Quarkus checks {@code new URI(uri)} before routing unless the JVM runs with
 *       {@code -Dvertx.disableURIValidation=true}; every launcher of the services passes it (the
 *       Jib image, the local environment, the tests) and the same check is made here. Without it
 *       the URI is still refused, only with Quarkus's bare 400: a warning says so at start-up.
 * </ul>
 */
@ApplicationScoped
public class TransportGuard {

    /** Netty's limits for the request line and the headers (bytes): see {@link RequestLimits}. */
    static final int NETTY_CEILING = 64 * 1024;

    /** Before Quarkus's own body-size route, which answers 413 with no body. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;

    static final String URI_VALIDATION_OFF = "vertx.disableURIValidation";

    private static final Logger LOG = Logger.getLogger(TransportGuard.class);

    private final RequestLimits limits;

    public TransportGuard(RequestLimits limits) {
        this.limits = limits;
    }

    void install(@Observes Router router) {
        if (!Boolean.getBoolean(URI_VALIDATION_OFF)) {
            LOG.warnf(
                    "The JVM runs without -D%s=true: a malformed URI is refused by Quarkus with a bare 400,"
                            + " not a problem",
                    URI_VALIDATION_OFF);
        }
        BodyHandler chunkedBody = BodyHandler.create(false)
                .setBodyLimit(limits.body().asLongValue())
                .setHandleFileUploads(false)
                .setMergeFormAttributes(false);
        router.route().order(ORDER).handler(context -> head(context, chunkedBody));
        router.route().order(ORDER).failureHandler(this::bodyTooLarge);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(TransportGuard::emptyBodyRead);
    }

    private void head(RoutingContext context, BodyHandler chunkedBody) {
        HttpServerRequest request = context.request();
        String uri = request.uri();
        int line = request.method().name().length() + uri.length() + 10; // " ", " HTTP/1.1"
        if (line > limits.requestLine()) {
            refuse(
                    context,
                    uri,
                    Problem.of(
                            CommonProblemType.URI_TOO_LONG,
                            "The request line is " + line + " bytes; at most " + limits.requestLine() + " are read"));
            return;
        }
        long headers = size(request.headers());
        if (headers > limits.headers().asLongValue()) {
            refuse(
                    context,
                    uri,
                    Problem.of(
                            CommonProblemType.HEADERS_TOO_LARGE,
                            "The header fields are " + headers + " bytes; at most "
                                    + limits.headers().asLongValue() + " are read"));
            return;
        }
        try {
            new URI(uri);
        } catch (URISyntaxException e) {
            refuse(
                    context,
                    uri.substring(0, Math.max(0, e.getIndex())),
                    Problem.of(
                            CommonProblemType.MALFORMED_URI,
                            "The URI is malformed at index " + e.getIndex() + ": " + e.getReason()
                                    + " (a % must be followed by two hexadecimal digits)"));
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long announced;
            try {
                announced = Long.parseLong(length.trim());
            } catch (NumberFormatException malformed) {
                // Netty refuses one that is no number; one in range of no long is refused here
                refuse(context, uri, Problem.of(CommonProblemType.MALFORMED_REQUEST, "Content-Length is no length"));
                return;
            }
            if (announced > limits.body().asLongValue()) {
                refuse(context, uri, tooLarge());
                return;
            }
            context.next(); // Quarkus REST reads it, as many bytes as announced
        } else if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            chunkedBody.handle(context); // reads it up to the limit, else fails with 413
        } else {
            context.next();
        }
    }

    /**
     * An empty chunked body read by the body handler leaves no body at all: Quarkus REST would then
     * wait for the request's end, which the body handler already took (a hang until the read
     * timeout). An empty body read is an empty body.
     */
    private static void emptyBodyRead(RoutingContext context) {
        if (((RoutingContextInternal) context).seenHandler(RoutingContextInternal.BODY_HANDLER)
                && context.body().buffer() == null) {
            ((RoutingContextInternal) context).setBody(Buffer.buffer());
        }
        context.next();
    }

    private Problem tooLarge() {
        return Problem.of(
                CommonProblemType.CONTENT_TOO_LARGE,
                "The body is larger than " + limits.body().asLongValue() + " bytes");
    }

    private void bodyTooLarge(RoutingContext context) {
        if (context.statusCode() != 413) {
            context.next();
            return;
        }
        refuse(context, context.request().uri(), tooLarge());
    }

    /** Answers the problem and closes the connection: what is left of the request is not read. */
    private static void refuse(RoutingContext context, String validUri, Problem problem) {
        if (context.response().headWritten()) {
            context.request().connection().close();
            return;
        }
        // the instance is the path without the query: an oversized or malformed query is not echoed
        String path = pathOf(validUri);
        Map<String, Object> body = problem.at(path).body();
        context.response()
                .setStatusCode((Integer) body.get("status"))
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Json.encode(body))
                .onComplete(done -> context.request().connection().close());
    }

    private static long size(MultiMap headers) {
        long size = 0;
        for (Map.Entry<String, String> header : headers) {
            size += header.getKey().length() + header.getValue().length() + 4; // ": ", CRLF
        }
        return size;
    }

    /**
     * The path of a (valid part of a) request target: cut at the query, at most 256 characters and
     * never inside a percent-escape, so that it stays a URI reference.
     */
    static String pathOf(String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        if (path.length() > 256) {
            path = path.substring(0, 256);
        }
        int escape = path.lastIndexOf('%');
        if (escape >= 0 && escape > path.length() - 3) {
            path = path.substring(0, escape);
        }
        return path.isEmpty() ? "/" : path;
    }
}
