package io.ascall.problem;

import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * What every request is held to before a resource sees it, once the route is known (an unknown
 * path is still a 404): its parameters are text as {@link Text} allows it (a {@code %00} in a query
 * filter reached PostgreSQL, a 500), and a body says what it is. JAX-RS lets a body without a
 * Content-Type, with {@code *}{@code /*}, or with any charset through to a JSON resource, which then
 * read it as UTF-8 JSON anyway: calls were created and charged from such requests. A body is JSON in
 * UTF-8 (RFC 8259), so anything else is refused with 415 before anything happens.
 */
public class RequestChecks {

    @ServerRequestFilter
    public Response parameters(ContainerRequestContext request) {
        // a malformed percent-escape never gets here: Vert.x refuses it first (a bare 400, README)
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters();
        MultivaluedMap<String, String> path = request.getUriInfo().getPathParameters();
        Response refused = refused("Query parameter", query, request);
        return refused != null ? refused : refused("Path parameter", path, request);
    }

    @ServerRequestFilter
    public Response bodyType(ContainerRequestContext request) {
        if (!hasBody(request)) {
            return null;
        }
        MediaType type;
        try {
            type = request.getMediaType();
        } catch (IllegalArgumentException unreadable) {
            type = null;
        }
        if (type == null || type.isWildcardType() || type.isWildcardSubtype()) {
            return unsupported(request, "A request body needs a Content-Type: application/json");
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        boolean json = type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
        if (json && charset != null && !charset.equalsIgnoreCase("UTF-8")) {
            return unsupported(request, "A JSON body is UTF-8 (RFC 8259), not " + charset);
        }
        return null;
    }

    private static Response refused(
            String kind, MultivaluedMap<String, String> parameters, ContainerRequestContext request) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String nameProblem = Text.problem(parameter.getKey());
            if (nameProblem != null) {
                return Problem.of(CommonProblemType.MALFORMED_REQUEST, kind + " name contains " + nameProblem)
                        .at(request.getUriInfo())
                        .toResponse();
            }
            for (String value : parameter.getValue()) {
                String problem = Text.problem(value);
                if (problem != null) {
                    return Problem.invalid(parameter.getKey(), "contains " + problem)
                            .at(request.getUriInfo())
                            .toResponse();
                }
            }
        }
        return null;
    }

    /** Whether the request carries a body: a length above 0, or a chunked one. */
    private static boolean hasBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                return Long.parseLong(length.trim()) > 0;
            } catch (NumberFormatException e) {
                return true;
            }
        }
        return request.getHeaderString("Transfer-Encoding") != null;
    }

    private static Response unsupported(ContainerRequestContext request, String detail) {
        return Problem.of(CommonProblemType.UNSUPPORTED_MEDIA_TYPE, detail)
                .at(request.getUriInfo())
                .toResponse();
    }
}
