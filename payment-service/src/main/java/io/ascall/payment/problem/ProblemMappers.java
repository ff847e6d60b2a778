package io.ascall.payment.problem;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.ascall.payment.PaymentTransitionRefused;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Turns every failure of a request into an RFC 9457 problem: nothing leaves as a bare status or a
 * stack trace. Bad input is a 400 that names the field; an unexpected failure is a logged 500
 * that shows no internals.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return e.problem().at(path(uri)).toResponse();
    }

    @ServerExceptionMapper
    public Response refused(PaymentTransitionRefused e, UriInfo uri) {
        return Problem.of(ProblemType.CONFLICT, e.getMessage()).at(path(uri)).toResponse();
    }

    /** Bean Validation of bodies and parameters, also Quarkus' ResteasyReactiveViolationException. */
    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing((ConstraintViolation<?> v) -> field(v.getPropertyPath()))
                        .thenComparing(ConstraintViolation::getMessage))
                .map(v -> Map.of("field", field(v.getPropertyPath()), "message", v.getMessage()))
                .toList();
        String fields = errors.stream().map(error -> error.get("field")).distinct().collect(Collectors.joining(", "));
        return Problem.of(ProblemType.VALIDATION, "Invalid or missing: " + fields)
                .with("errors", errors).at(path(uri)).toResponse();
    }

    /**
     * Unparsable JSON and values of the wrong type or format. The subclasses are listed because
     * quarkus-rest-jackson has a mapper of its own for {@link MismatchedInputException}.
     */
    @ServerExceptionMapper({ JsonProcessingException.class, JsonParseException.class,
            MismatchedInputException.class, InvalidFormatException.class })
    public Response malformed(JsonProcessingException e, UriInfo uri) {
        return malformedProblem(e).at(path(uri)).toResponse();
    }

    /** JAX-RS' own answers (unknown path, wrong method or media type), and unreadable bodies it wrapped. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformed(json, uri);
        }
        int status = e.getResponse().getStatus();
        ProblemType type = ProblemType.forStatus(status);
        if (type == ProblemType.INTERNAL) {
            return internal(e, uri);
        }
        return Problem.of(type, e.getMessage()).status(status).at(path(uri)).toResponse();
    }

    @ServerExceptionMapper(priority = Priorities.USER + 1000)
    public Response internal(Throwable e, UriInfo uri) {
        if (DatabaseOutage.causedBy(e)) {
            LOG.warnf("%s failed: the database is unreachable (%s)", path(uri), e.toString());
            return Problem.of(ProblemType.SERVICE_UNAVAILABLE, "The database is unreachable; nothing was changed. Retry shortly.")
                    .retryAfter(DatabaseOutage.RETRY_AFTER).at(path(uri)).toResponse();
        }
        LOG.errorf(e, "Unexpected failure of %s", path(uri));
        return Problem.of(ProblemType.INTERNAL, "The request failed unexpectedly; it has been logged.")
                .at(path(uri)).toResponse();
    }

    private static Problem malformedProblem(JsonProcessingException e) {
        // A number too large for its field fails in the parser, which still knows the field.
        String coercedField = e instanceof InputCoercionException coercion && coercion.getProcessor() != null
                ? coercion.getProcessor().getParsingContext().getCurrentName()
                : null;
        if (coercedField != null) {
            String field = coercedField;
            return Problem.of(ProblemType.MALFORMED_REQUEST, "Field '" + field
                    + "' has a value of the wrong type or format: out of range").with("field", field);
        }
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return Problem.of(ProblemType.MALFORMED_REQUEST, e instanceof MismatchedInputException
                    ? "The body must be a JSON object"
                    : "The body is not well-formed JSON");
        }
        String field = mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            List<String> allowed = Arrays.stream(format.getTargetType().getEnumConstants()).map(Object::toString).toList();
            return Problem.of(ProblemType.MALFORMED_REQUEST, "Field '" + field + "' must be one of " + allowed)
                    .with("field", field).with("allowed", allowed);
        }
        return Problem.of(ProblemType.MALFORMED_REQUEST, "Field '" + field + "' has a value of the wrong type or format"
                + expected(mapping)).with("field", field);
    }

    private static String expected(JsonMappingException e) {
        Class<?> target = e instanceof MismatchedInputException mismatched ? mismatched.getTargetType() : null;
        if (target == null) {
            return "";
        }
        if (target == Long.class || target == Integer.class || target == long.class || target == int.class) {
            return ": expected an integer";
        }
        if (target == String.class) {
            return ": expected a string";
        }
        if (target == java.util.UUID.class) {
            return ": expected a UUID string";
        }
        return "";
    }

    /**
     * {@code create.body.callId} becomes {@code callId}: resource methods name their JSON body
     * parameter {@code body}, whose fields are reported by themselves; a query or header
     * parameter keeps its parameter name.
     */
    private static String field(Path path) {
        StringBuilder name = new StringBuilder();
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case METHOD, RETURN_VALUE, CROSS_PARAMETER -> {
                    continue;
                }
                case PARAMETER -> {
                    name.setLength(0);
                    name.append(node.getName());
                    continue;
                }
                default -> {
                }
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

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
