package io.ascall.call.service;

import java.time.Duration;

import io.ascall.call.idempotency.CallRequestKey;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The HTTP answer to {@code POST /calls}, kept as text so that a retry with the same
 * {@code Idempotency-Key} gets it back byte for byte.
 *
 * @param retryAfter for a 503 only; such an answer is never stored
 */
public record IntakeAnswer(int status, String contentType, String body, String location, Duration retryAfter,
        boolean replayed) {

    static IntakeAnswer replay(CallRequestKey stored) {
        return new IntakeAnswer(stored.responseStatus, stored.responseContentType, stored.responseBody,
                stored.responseLocation, null, true);
    }

    public Response toResponse() {
        Response.ResponseBuilder response = Response.status(status).type(contentType).entity(body);
        if (location != null) {
            response.header(HttpHeaders.LOCATION, location);
        }
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, Math.max(1, retryAfter.toSeconds()));
        }
        if (replayed) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.build();
    }
}
