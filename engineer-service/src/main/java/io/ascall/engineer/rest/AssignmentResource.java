package io.ascall.engineer.rest;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.ascall.engineer.Assignment;
import io.ascall.engineer.saga.DispatchSaga;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The offers of calls to engineers, and the engineers' answers. An answer the assignment does
 * not allow is a 409 {@code conflict} that changes nothing; repeating an answer that succeeded
 * answers 200 with the assignment as it is.
 */
@Path("/assignments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
        name = "Assignments",
        description = "The offers of calls to engineers, and the engineers' answers: accept, reject, complete."
                + " An answer the assignment does not allow is a 409 `conflict` that changes nothing; repeating"
                + " an answer that succeeded answers 200 with the assignment as it is.")
public class AssignmentResource {

    private static final String DEADLOCK = "40P01";
    private static final String ID = "The assignment's id, a UUID (anything else names no assignment: 404)";

    private final DispatchSaga saga;

    public AssignmentResource(DispatchSaga saga) {
        this.saga = saga;
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(
            operationId = "getAssignment",
            summary = "An assignment",
            description = "One offer of a call to an engineer, and what became of it.")
    @APIResponse(responseCode = "200", description = "The assignment")
    public Uni<AssignmentResponse> get(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id) {
        return found(id, Assignment.<Assignment>findById(Params.pathId("assignment", id)));
    }

    /** Every offer of a call, newest first: to whom it went, and what became of it. */
    @GET
    @WithSession
    @Operation(
            operationId = "listCallAssignments",
            summary = "The offers of a call",
            description = "Every offer of the call, newest first: to whom it went, and what became of it. A call"
                    + " this service does not know, or one not offered yet, has none: an empty list.")
    @APIResponse(responseCode = "200", description = "The call's assignments, newest first (not paged)")
    public Uni<List<AssignmentResponse>> ofCall(
            @Parameter(
                            description = "The call's id, a UUID. Required: without it, or with anything but a"
                                    + " UUID, the answer is a 400",
                            schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                    @RestQuery
                    String callId) {
        return Assignment.<Assignment>list(
                        "callId", Sort.descending("offeredAt").and("id"), Params.queryId("callId", callId))
                .map(assignments ->
                        assignments.stream().map(AssignmentResponse::of).toList());
    }

    /** The engineer takes the call and is dispatched to the customer. */
    @POST
    @Path("/{id}/accept")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(
            operationId = "acceptAssignment",
            summary = "Accept an offer",
            description = "The engineer takes the call and is dispatched to the customer. Only the engineer it"
                    + " was offered to may accept, only while the offer stands (OFFERED, before expiresAt);"
                    + " accepting again answers the accepted assignment as it is.")
    @APIResponse(responseCode = "200", description = "The assignment, ACCEPTED")
    @APIResponse(
            responseCode = "409",
            description = "The assignment does not allow it, nothing changed (`conflict`): the engineerId is not"
                    + " the engineer it was offered to (known or not), it is no longer OFFERED"
                    + " (rejected, expired, withdrawn, completed), or its offer expired at expiresAt")
    public Uni<AssignmentResponse> accept(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id,
            @Valid @NotNull EngineerAction body) {
        return found(id, saga.accept(Params.pathId("assignment", id), body.engineerId()));
    }

    /**
     * The engineer declines; the call is offered to the next engineer.
     *
     * <p>A reject writes to two engineers' feeds (the one who declined, the one offered next), each
     * locked until commit; two rejects crossing between the same two engineers at the same moment
     * deadlock, and PostgreSQL aborts one of them. The aborted one changed nothing, so it runs again.
     */
    @POST
    @Path("/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "rejectAssignment",
            summary = "Reject an offer",
            description = "The engineer declines, and the call is offered to the next suitable engineer (or,"
                    + " if nobody is left, reported as having no engineer). Only the engineer it was offered to"
                    + " may reject, only while the offer stands; rejecting again answers the rejected assignment"
                    + " as it is.")
    @APIResponse(responseCode = "200", description = "The assignment, REJECTED")
    @APIResponse(
            responseCode = "409",
            description = "The assignment does not allow it, nothing changed (`conflict`): the engineerId is not"
                    + " the engineer it was offered to (known or not), it is no longer OFFERED"
                    + " (accepted, expired, withdrawn, completed), or its offer expired at expiresAt")
    public Uni<AssignmentResponse> reject(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id,
            @Valid @NotNull EngineerAction body) {
        UUID assignmentId = Params.pathId("assignment", id);
        return found(
                id,
                Panache.withTransaction(() -> saga.reject(assignmentId, body.engineerId()))
                        .onFailure(AssignmentResource::deadlock)
                        .retry()
                        .atMost(3));
    }

    /** The engineer has done the repair. */
    @POST
    @Path("/{id}/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(
            operationId = "completeAssignment",
            summary = "Complete a repair",
            description = "The engineer has done the repair: the assignment and its call are completed. Only the"
                    + " engineer who accepted it may complete it; completing again answers the completed"
                    + " assignment as it is.")
    @APIResponse(responseCode = "200", description = "The assignment, COMPLETED")
    @APIResponse(
            responseCode = "409",
            description = "The assignment does not allow it, nothing changed (`conflict`): the engineerId is not"
                    + " the engineer it was offered to (known or not), or it is not ACCEPTED (still offered,"
                    + " rejected, expired or withdrawn)")
    public Uni<AssignmentResponse> complete(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id,
            @Valid @NotNull EngineerAction body) {
        return found(id, saga.complete(Params.pathId("assignment", id), body.engineerId()));
    }

    /**
     * PostgreSQL aborted the transaction to break a deadlock (SQLSTATE 40P01), as Hibernate
     * Reactive reports it (an {@link SQLException} under its own) or the driver does.
     */
    private static boolean deadlock(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && DEADLOCK.equals(sql.getSQLState())
                    || cause instanceof PgException pg && DEADLOCK.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    private static Uni<AssignmentResponse> found(String id, Uni<? extends Assignment> assignment) {
        return assignment
                .onItem()
                .ifNull()
                .failWith(() -> Params.notFound("assignment", id))
                .map(AssignmentResponse::of);
    }
}
