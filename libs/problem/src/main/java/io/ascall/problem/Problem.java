package io.ascall.problem;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * An RFC 9457 problem details document: {@code type, title, status, detail, instance}, then
 * extension members such as {@code errors}. Held as an ordered map so that it serializes in that
 * order and without reflection, natively too.
 */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** The members RFC 9457 defines; {@link #with} adds only extension members. */
    private static final Set<String> STANDARD_MEMBERS = Set.of("type", "title", "status", "detail", "instance");

    private final Map<String, Object> body = new LinkedHashMap<>();
    private int status;
    private Duration retryAfter;

    private Problem(ProblemType type, String detail) {
        this.status = type.status();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", status);
        body.put("detail", detail);
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type, detail);
    }

    /** A {@code validation} problem naming every invalid field, in the order given. */
    public static Problem invalid(List<FieldError> errors) {
        String fields = errors.stream().map(FieldError::field).distinct().collect(Collectors.joining(", "));
        return of(CommonProblemType.VALIDATION, "Invalid or missing: " + fields).with("errors", List.copyOf(errors));
    }

    public static Problem invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    /**
     * Adds an extension member, such as {@code errors} or {@code callId}. The standard members
     * are refused: a {@code status} in the body other than the response's would mislead clients.
     */
    public Problem with(String member, Object value) {
        if (STANDARD_MEMBERS.contains(member)) {
            throw new IllegalArgumentException("'" + member + "' is a standard member of a problem, not an extension");
        }
        body.put(member, value);
        return this;
    }

    /**
     * Answers with a status other than the type's own, in the response and the body alike: for a
     * status JAX-RS chose that has no type of its own (e.g. 413).
     */
    Problem status(int status) {
        this.status = status;
        body.put("status", status);
        return this;
    }

    /** Sends a {@code Retry-After} header: the condition is expected to clear by then. */
    public Problem retryAfter(Duration delay) {
        this.retryAfter = delay;
        return this;
    }

    /** The request path the problem occurred at. */
    public Problem at(String instance) {
        body.put("instance", instance);
        return this;
    }

    /** At the path of this request, as sent (still percent-encoded: {@code instance} is a URI reference). */
    public Problem at(UriInfo request) {
        return at(request == null ? null : request.getRequestUri().getRawPath());
    }

    public Map<String, Object> body() {
        return Collections.unmodifiableMap(body);
    }

    public Response toResponse() {
        Response.ResponseBuilder response =
                Response.status(status).type(MEDIA_TYPE).entity(body);
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, Math.max(1, retryAfter.toSeconds()));
        }
        return response.build();
    }

    public ProblemException toException() {
        return new ProblemException(this);
    }
}
