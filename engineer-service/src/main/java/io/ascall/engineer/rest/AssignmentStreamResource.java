package io.ascall.engineer.rest;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.ascall.engineer.stream.EngineerStreams;
import io.ascall.security.Roles;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
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
@Tag(
        name = "Assignment streams",
        description = "An engineer's live stream of assignments (Server-Sent Events): every offer and every"
                + " change of the engineer's assignments as it is committed, resumable with Last-Event-ID")
public class AssignmentStreamResource {

    private static final String EVENTS = "The engineer's events, as `text/event-stream`. Every event's `data` is"
            + " one line of JSON; its `id` increases per engineer (1, 2, 3...):\n\n"
            + "- `stream-opened` first, `id` the position the stream starts after (0 before the engineer's first"
            + " event), `data` a `StreamOpened`;\n"
            + "- then `assignment-offered`, `assignment-accepted`, `assignment-rejected`, `assignment-expired`,"
            + " `assignment-withdrawn` or `assignment-completed`, one for each change as it is committed,"
            + " `data` the `AssignmentResponse` as it became;\n"
            + "- `:keep-alive`, a comment line, on a stream idle for a heartbeat period"
            + " (`engineer.stream.heartbeat`, 15 s by default).\n\n"
            + "A client that reconnects with the id of the last event it saw (`Last-Event-ID`, as EventSource"
            + " does, or `lastEventId`) is first sent every event after it, from the database (kept for"
            + " `engineer.stream.retention`, 7 days by default); an id beyond the engineer's latest starts after"
            + " the latest. The stream does not end by itself: it ends when the service stops (a stream opened"
            + " while it stops ends at once), or when the client has not read its events for two heartbeat"
            + " periods; the client then reconnects and resumes.";

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
    @RolesAllowed({Roles.ENGINEER, Roles.OPERATOR})
    @Operation(
            operationId = "streamAssignments",
            summary = "An engineer's live stream of assignments",
            description = "Server-Sent Events: every offer to the engineer and every change of their assignments"
                    + " as it is committed, on whichever replica. A client that reconnects with the last event id"
                    + " it saw is first sent everything after it. The caller, the engineer and the Last-Event-ID"
                    + " are checked before the stream starts: an engineer follows their own stream only"
                    + " (another's, or an unknown engineer, is a 404), an operator any; a malformed id is a"
                    + " 400.")
    @APIResponse(
            responseCode = "200",
            description = EVENTS,
            headers =
                    @Header(
                            name = "Cache-Control",
                            description = "`no-store`",
                            schema = @Schema(type = SchemaType.STRING, enumeration = "no-store")),
            content =
                    @Content(
                            mediaType = MediaType.SERVER_SENT_EVENTS,
                            schema =
                                    @Schema(
                                            description = "The JSON of an event's `data`: a `StreamOpened` for"
                                                    + " `stream-opened`, an `AssignmentResponse` for every"
                                                    + " `assignment-*` event",
                                            oneOf = {StreamOpened.class, AssignmentResponse.class})))
    public Multi<OutboundSseEvent> stream(
            @Parameter(description = EngineerResource.ID, schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                    @RestPath
                    String id,
            @Parameter(
                            description = "The id of the last event the client saw, as EventSource sends it on"
                                    + " reconnecting: the stream starts after it. A whole number, 0 or more;"
                                    + " empty or absent for a new client (which starts after the engineer's"
                                    + " latest event); anything else is a 400. Wins over `lastEventId`.",
                            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
                    @RestHeader(LAST_EVENT_ID)
                    String lastEventIdHeader,
            @Parameter(
                            description = "The same as the Last-Event-ID header, for clients that cannot set"
                                    + " headers; not read when the header holds a value",
                            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
                    @RestQuery
                    String lastEventId,
            @Context Sse sse,
            @Context HttpServerRequest request) {
        return streams.open(
                Params.pathId("engineer", id), Params.lastEventId(lastEventIdHeader, lastEventId), sse, request);
    }
}
