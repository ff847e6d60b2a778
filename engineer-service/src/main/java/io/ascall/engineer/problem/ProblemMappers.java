package io.ascall.engineer.problem;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.ascall.engineer.AssignmentRefused;
import io.ascall.engineer.DispatchTransitionRefused;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Turns every failure of a request into an RFC 9457 problem; nothing leaves as a bare status or
 * stack trace. A documented copy of call-service's mapping (services share no runtime code), with
 * engineer-service's refusals as 409 and the elements of a JSON array named by their index.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return e.problem().at(path(uri)).toResponse();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing((ConstraintViolation<?> v) -> field(v.getPropertyPath()))
                        .thenComparing(ConstraintViolation::getMessage))
                .map(v -> Map.of("field", field(v.getPropertyPath()), "message", v.getMessage()))
                .toList();
        String fields = errors.stream().map(m -> m.get("field")).distinct().collect(Collectors.joining(", "));
        return Problem.of(ProblemType.VALIDATION, "Invalid or missing: " + fields)
                .with("errors", errors).at(path(uri)).toResponse();
    }

    /** Wrong JSON types, unknown enum values, unparsable numbers or ids: a 400 naming the field. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return malformed(e, uri);
    }

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
        return Problem.of(type, e.getMessage()).with("status", status).at(path(uri)).toResponse();
    }

    @ServerExceptionMapper
    public Response refused(AssignmentRefused e, UriInfo uri) {
        return Problem.of(ProblemType.CONFLICT, e.getMessage()).at(path(uri)).toResponse();
    }

    @ServerExceptionMapper
    public Response refused(DispatchTransitionRefused e, UriInfo uri) {
        return Problem.of(ProblemType.CONFLICT, e.getMessage()).at(path(uri)).toResponse();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
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

    private Response malformed(JsonProcessingException e, UriInfo uri) {
        Problem problem;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            problem = Problem.of(ProblemType.MALFORMED_REQUEST, "Field '" + field + "' has a value of the wrong type or format")
                    .with("field", field);
            if (e instanceof InvalidFormatException format && format.getTargetType() != null
                    && format.getTargetType().isEnum()) {
                List<String> allowed = Arrays.stream(format.getTargetType().getEnumConstants())
                        .map(Object::toString).toList();
                problem = Problem.of(ProblemType.MALFORMED_REQUEST,
                        "Field '" + field + "' must be one of " + allowed).with("field", field).with("allowed", allowed);
            }
        } else {
            problem = Problem.of(ProblemType.MALFORMED_REQUEST, "The body is not well-formed JSON");
        }
        return problem.at(path(uri)).toResponse();
    }

    /**
     * {@code register.body.region} -> {@code region}, {@code register.body.skills[1].<list element>}
     * -> {@code skills[1]}; a header or query parameter keeps its own name.
     */
    private static String field(Path path) {
        StringBuilder name = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                if (node.getIndex() != null) {
                    name.append('[').append(node.getIndex()).append(']');
                }
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                name.setLength(0);
                name.append(node.getName());
                continue;
            }
            if (node.getKind() == ElementKind.PROPERTY && name.length() > 0 && isBodyParameter(name)) {
                name.setLength(0);
            } else if (name.length() > 0) {
                name.append('.');
            }
            name.append(node.getName());
        }
        return name.toString();
    }

    /** Resource methods name their JSON body parameter {@code body}; its fields are reported by themselves. */
    private static boolean isBodyParameter(CharSequence name) {
        return "body".contentEquals(name);
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}
