package io.ascall.engineer.rest;

import java.util.UUID;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.ascall.engineer.stream.EngineerStreams;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Checks an engineer's stream request before the stream starts: once the {@code 200} and the
 * first bytes of {@code text/event-stream} are sent, an error can no longer be answered as a
 * problem (response filters and exception mappers do not run on a streamed response). An unknown
 * engineer is a {@code 404}, a malformed {@code Last-Event-ID} a {@code 400}.
 */
public class StreamPreconditionsFilter {

    private final EngineerStreams streams;

    public StreamPreconditionsFilter(EngineerStreams streams) {
        this.streams = streams;
    }

    @ServerRequestFilter
    @StreamPreconditions
    public Uni<Response> engineerMustExist(UriInfo uri, HttpHeaders headers) {
        String id = uri.getPathParameters().getFirst("id");
        UUID engineerId = Params.pathId("engineer", id);
        Params.lastEventId(
                headers.getHeaderString(AssignmentStreamResource.LAST_EVENT_ID),
                uri.getQueryParameters().getFirst("lastEventId"));
        return streams.engineerExists(engineerId).map(exists -> {
            if (!exists) {
                throw Params.notFound("engineer", id);
            }
            return null;
        });
    }
}
