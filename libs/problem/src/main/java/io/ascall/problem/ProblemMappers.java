package io.ascall.problem;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Turns every failure of a request into an RFC 9457 problem: nothing leaves as a bare status or a
 * stack trace. Bad input is a 4xx that names the field; a lost database is a 503 with
 * {@code Retry-After}; anything else unexpected is a logged 500 that shows no internals.
 *
 * <p>A service maps the refusals of its own domain (409 {@code conflict}) with a mapper of its
 * own; a more specific exception type wins over {@link #internal}.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return e.problem().at(uri).toResponse();
    }

    /** Bean Validation of bodies and parameters, also Quarkus' ResteasyReactiveViolationException. */
    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(violation -> new FieldError(field(violation.getPropertyPath()), violation.getMessage()))
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
                .toList();
        return Problem.invalid(errors).at(uri).toResponse();
    }

    /**
     * Jackson's failures. {@link MismatchedInputException} is listed because quarkus-rest-jackson
     * has a mapper of its own for it, which would otherwise be the closer match.
     */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public Response json(JsonProcessingException e, UriInfo uri) {
        if (!unreadableInput(e)) {
            // A response that cannot be written, or a type Jackson cannot handle: our bug, not the client's.
            return internal(e, uri);
        }
        return malformed(e).at(uri).toResponse();
    }

    /** JAX-RS' own answers (unknown path, wrong method or media type), and unreadable bodies it wrapped. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        int status = e.getResponse().getStatus();
        ProblemType type = CommonProblemType.forStatus(status);
        if (type == CommonProblemType.INTERNAL) {
            return internal(e, uri);
        }
        return Problem.of(type, e.getMessage()).status(status).at(uri).toResponse();
    }

    @ServerExceptionMapper(priority = Priorities.USER + 1000)
    public Response internal(Throwable e, UriInfo uri) {
        Problem problem;
        if (DatabaseOutage.causedBy(e)) {
            problem = Problem.of(
                            CommonProblemType.SERVICE_UNAVAILABLE,
                            "The database is unreachable; nothing was changed. Retry shortly.")
                    .retryAfter(DatabaseOutage.RETRY_AFTER)
                    .at(uri);
            LOG.warnf(
                    "%s failed: the database is unreachable (%s)",
                    problem.body().get("instance"), e.toString());
        } else if (ConcurrentChange.causedBy(e)) {
            problem = Problem.of(
                            CommonProblemType.CONCURRENT_CHANGE,
                            "Another request changed the resource at the same moment; nothing was changed. Retry.")
                    .retryAfter(ConcurrentChange.RETRY_AFTER)
                    .at(uri);
            LOG.infof("%s lost a race with another change: %s", problem.body().get("instance"), e.toString());
        } else {
            problem = Problem.of(CommonProblemType.INTERNAL, "The request failed unexpectedly; it has been logged.")
                    .at(uri);
            LOG.errorf(e, "Unexpected failure of %s", problem.body().get("instance"));
        }
        return problem.toResponse();
    }

    /** The client's JSON could not be read: not JSON, or not of the shape or types expected. */
    private static boolean unreadableInput(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StreamReadException || cause instanceof MismatchedInputException) {
                return true;
            }
        }
        return false;
    }

    private static Problem malformed(JsonProcessingException e) {
        String field = field(e);
        String duplicate = duplicateField(e);
        if (duplicate != null) {
            return Problem.of(CommonProblemType.MALFORMED_REQUEST, "Field '" + duplicate + "' is given more than once")
                    .with("field", duplicate);
        }
        if (field != null && e instanceof CheckedTextDeserializer.ForbiddenText forbidden) {
            return Problem.of(
                            CommonProblemType.MALFORMED_REQUEST,
                            "Field '" + field + "' contains " + forbidden.problem())
                    .with("field", field);
        }
        if (field == null) {
            return Problem.of(
                    CommonProblemType.MALFORMED_REQUEST,
                    e instanceof MismatchedInputException
                            ? "The body must be a single JSON object"
                            : "The body is not well-formed JSON");
        }
        Class<?> target = e instanceof MismatchedInputException mismatched ? mismatched.getTargetType() : null;
        if (target != null && target.isEnum()) {
            List<String> allowed = Arrays.stream(target.getEnumConstants())
                    .map(value -> ((Enum<?>) value).name())
                    .toList();
            return Problem.of(CommonProblemType.MALFORMED_REQUEST, "Field '" + field + "' must be one of " + allowed)
                    .with("field", field)
                    .with("allowed", allowed);
        }
        return Problem.of(
                        CommonProblemType.MALFORMED_REQUEST,
                        "Field '" + field + "' has a value of the wrong type or format" + expected(e, target))
                .with("field", field);
    }

    /** The name of the field a body gives twice (StrictJson's duplicate detection), or null. */
    private static String duplicateField(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        String prefix = "Duplicate field '";
        if (e instanceof StreamReadException && message != null && message.startsWith(prefix)) {
            int end = message.indexOf('\'', prefix.length());
            return end < 0 ? null : message.substring(prefix.length(), end);
        }
        return null;
    }

    /**
     * The field a JSON failure is about, as {@code region}, {@code skills[1]} or {@code a.b}; null
     * when it is about the body as a whole (or its syntax).
     */
    private static String field(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
        }
        return null;
    }

    /** What the field should have held, when that is simple to say. */
    private static String expected(JsonProcessingException e, Class<?> target) {
        if (outOfRange(e)) {
            return ": out of range";
        }
        if (target == null) {
            return "";
        }
        if (target == long.class
                || target == Long.class
                || target == int.class
                || target == Integer.class
                || target == short.class
                || target == Short.class
                || target == BigInteger.class) {
            return ": expected an integer";
        }
        if (target == double.class
                || target == Double.class
                || target == float.class
                || target == Float.class
                || target == BigDecimal.class) {
            return ": expected a number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return ": expected true or false";
        }
        if (target == String.class) {
            return ": expected a string";
        }
        if (target == UUID.class) {
            return ": expected a UUID string";
        }
        if (target.isArray() || Collection.class.isAssignableFrom(target)) {
            return ": expected an array";
        }
        return "";
    }

    /** A number too large for its field fails in the parser; Jackson wraps that with the field's path. */
    private static boolean outOfRange(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof InputCoercionException) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code create.body.region} becomes {@code region}, {@code register.body.skills[1].<list element>}
     * {@code skills[1]}: resource methods name their JSON body parameter {@code body}, whose fields
     * are reported by themselves; a query, path or header parameter keeps its parameter name.
     */
    private static String field(Path path) {
        StringBuilder name = new StringBuilder();
        for (Path.Node node : path) {
            // an element of a list or map: its index or key belongs to the name so far
            if (node.getIndex() != null) {
                name.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                name.append('[').append(node.getKey()).append(']');
            }
            switch (node.getKind()) {
                case METHOD, RETURN_VALUE, CROSS_PARAMETER, BEAN, CONTAINER_ELEMENT -> {
                    continue;
                }
                case PARAMETER -> {
                    name.setLength(0);
                    name.append(node.getName());
                    continue;
                }
                default -> {}
            }
            if ("body".contentEquals(name)) {
                name.setLength(0);
            } else if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(node.getName());
        }
        return name.toString();
    }
}
