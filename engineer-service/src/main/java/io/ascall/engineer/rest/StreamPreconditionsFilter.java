package io.ascall.engineer.rest;

import java.util.UUID;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.ascall.engineer.stream.EngineerStreams;
import io.ascall.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Checks an engineer's stream request before the stream starts: once the {@code 200} and the
 * first bytes of {@code text/event-stream} are sent, an error can no longer be answered as a
 * problem (response filters and exception mappers do not run on a streamed response). An unknown
 * engineer, or another engineer's stream, is a {@code 404}; a malformed {@code Last-Event-ID} a
 * {@code 400}.
 *
 * <p>Who may call at all (a valid token, role engineer or operator) is checked before this filter
 * runs: Quarkus REST's security check of {@code @RolesAllowed} is a handler of the phase right
 * after the method is matched, ahead of every request filter, so a 401 or 403 too is answered
 * before the stream starts. This filter then needs the caller's subject only.
 */
public class StreamPreconditionsFilter {

    private final EngineerStreams streams;
    private final Caller caller;

    public StreamPreconditionsFilter(EngineerStreams streams, Caller caller) {
        this.streams = streams;
        this.caller = caller;
    }

    @ServerRequestFilter
    @StreamPreconditions
    public Uni<Response> engineerMustBeTheCallers(UriInfo uri, HttpHeaders headers) {
        String id = uri.getPathParameters().getFirst("id");
        UUID engineerId = Params.pathId("engineer", id);
        Params.lastEventId(
                headers.getHeaderString(AssignmentStreamResource.LAST_EVENT_ID),
                uri.getQueryParameters().getFirst("lastEventId"));
        // an operator follows any engineer's stream; an engineer their own only, another's being no engineer
        String account = caller.isOperator() ? null : caller.subject();
        return streams.mayFollow(engineerId, account).map(exists -> {
            if (!exists) {
                throw Params.notFound("engineer", id);
            }
            return null;
        });
    }
}
