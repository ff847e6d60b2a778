package io.ascall.engineer.rest;

import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.ascall.engineer.stream.EngineerStreams;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/**
 * An engineer's live stream of assignments (Server-Sent Events): every offer and every change of
 * the engineer's assignments as it is committed, on whichever replica. Each event has an
 * {@code id} that increases per engineer; a client that reconnects with the last one it saw
 * ({@code Last-Event-ID}) is first sent everything after it, from the database.
 *
 * <pre>
 * id:41                        the position the stream starts after
 * event:stream-opened
 * data:{"engineerId":"…","lastEventId":41}
 *
 * id:42                        then assignment-accepted, -rejected, -expired, -withdrawn, -completed
 * event:assignment-offered
 * data:{"id":"…","callId":"…","status":"OFFERED","applianceType":"WASHER",…,"expiresAt":"…"}
 *
 * :keep-alive                  a comment line on an idle stream, every engineer.stream.heartbeat
 * </pre>
 */
@Path("/engineers")
public class AssignmentStreamResource {

    static final String LAST_EVENT_ID = "Last-Event-ID";

    private final EngineerStreams streams;

    public AssignmentStreamResource(EngineerStreams streams) {
        this.streams = streams;
    }

    /**
     * @param lastEventIdHeader what EventSource sends on reconnecting
     * @param lastEventId       the same, for clients that cannot set headers; the header wins
     */
    @GET
    @Path("/{id}/assignments/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    @StreamPreconditions
    public Multi<OutboundSseEvent> stream(
            @RestPath String id,
            @RestHeader(LAST_EVENT_ID) String lastEventIdHeader,
            @RestQuery String lastEventId,
            @Context Sse sse,
            @Context HttpServerRequest request) {
        return streams.open(
                Params.pathId("engineer", id), Params.lastEventId(lastEventIdHeader, lastEventId), sse, request);
    }
}
