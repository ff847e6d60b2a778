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
import io.ascall.security.Caller;
import io.ascall.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The offers of calls to engineers, and the engineers' answers. An answer the assignment does
 * not allow is a 409 {@code conflict} that changes nothing; repeating an answer that succeeded
 * answers 200 with the assignment as it is.
 *
 * <p>The engineer who answers is the one registered for the token's account, never one the request
 * names (an answer has no body). An assignment offered to another engineer is answered as no
 * assignment (404), for reading as for answering: nobody learns which offers others have.
 */
@Path("/assignments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
        name = "Assignments",
        description = "The offers of calls to engineers, and the engineers' answers: accept, reject, complete."
                + " The engineer answering is the one registered for the token's account; an answer has no"
                + " body. An answer the assignment does not allow is a 409 `conflict` that changes nothing;"
                + " repeating an answer that succeeded answers 200 with the assignment as it is.")
public class AssignmentResource {

    private static final String DEADLOCK = "40P01";
    private static final String ID = "The assignment's id, a UUID (anything else names no assignment: 404)";

    private static final String NOT_AN_ENGINEER = "The token's holder is not an engineer, or no engineer is"
            + " registered for their account (`forbidden`); nothing changed";

    private final DispatchSaga saga;
    private final Caller caller;

    public AssignmentResource(DispatchSaga saga, Caller caller) {
        this.saga = saga;
        this.caller = caller;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ENGINEER, Roles.OPERATOR})
    @WithSession
    @Operation(
            operationId = "getAssignment",
            summary = "An assignment",
            description = "One offer of a call to an engineer, and what became of it. An engineer reads the"
                    + " offers made to them only (another's is a 404); an operator reads any.")
    @APIResponse(responseCode = "200", description = "The assignment")
    public Uni<AssignmentResponse> get(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id) {
        CallerAccount reader = CallerAccount.of(caller);
        return found(
                id,
                Assignment.<Assignment>findById(Params.pathId("assignment", id))
                        .chain(assignment -> assignment == null
                                ? Uni.createFrom().nullItem()
                                : reader.mayReadOf(assignment.engineerId).map(allowed -> allowed ? assignment : null)));
    }

    /** Every offer of a call, newest first: to whom it went, and what became of it. */
    @GET
    @RolesAllowed(Roles.OPERATOR)
    @WithSession
    @Operation(
            operationId = "listCallAssignments",
            summary = "The offers of a call",
            description = "Every offer of the call, newest first: to whom it went, and what became of it. A call"
                    + " this service does not know, or one not offered yet, has none: an empty list."
                    + " Operators only.")
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
    @RolesAllowed(Roles.ENGINEER)
    @WithTransaction
    @Operation(
            operationId = "acceptAssignment",
            summary = "Accept an offer",
            description = "The engineer of the token's account takes the call and is dispatched to the"
                    + " customer. Only while the offer stands (OFFERED, before expiresAt); accepting again"
                    + " answers the accepted assignment as it is. No body (one sent is not read).")
    @APIResponse(responseCode = "200", description = "The assignment, ACCEPTED")
    @APIResponse(responseCode = "403", description = NOT_AN_ENGINEER)
    @APIResponse(
            responseCode = "404",
            description = "No such assignment, or one offered to another engineer (`not-found`); nothing changed")
    @APIResponse(
            responseCode = "409",
            description = "The assignment does not allow it, nothing changed (`conflict`): it is no longer"
                    + " OFFERED (rejected, expired, withdrawn, completed), or its offer expired at expiresAt")
    public Uni<AssignmentResponse> accept(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id) {
        UUID assignmentId = Params.pathId("assignment", id);
        CallerAccount acting = CallerAccount.of(caller);
        return found(id, acting.actingEngineer().chain(engineer -> saga.accept(assignmentId, engineer)));
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
    @RolesAllowed(Roles.ENGINEER)
    @Operation(
            operationId = "rejectAssignment",
            summary = "Reject an offer",
            description = "The engineer of the token's account declines, and the call is offered to the next"
                    + " suitable engineer (or, if nobody is left, reported as having no engineer). Only while the"
                    + " offer stands; rejecting again answers the rejected assignment as it is. No body (one sent"
                    + " is not read).")
    @APIResponse(responseCode = "200", description = "The assignment, REJECTED")
    @APIResponse(responseCode = "403", description = NOT_AN_ENGINEER)
    @APIResponse(
            responseCode = "404",
            description = "No such assignment, or one offered to another engineer (`not-found`); nothing changed")
    @APIResponse(
            responseCode = "409",
            description = "The assignment does not allow it, nothing changed (`conflict`): it is no longer"
                    + " OFFERED (accepted, expired, withdrawn, completed), or its offer expired at expiresAt")
    public Uni<AssignmentResponse> reject(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id) {
        UUID assignmentId = Params.pathId("assignment", id);
        CallerAccount acting = CallerAccount.of(caller);
        return found(
                id,
                Panache.withTransaction(
                                () -> acting.actingEngineer().chain(engineer -> saga.reject(assignmentId, engineer)))
                        .onFailure(AssignmentResource::deadlock)
                        .retry()
                        .atMost(3));
    }

    /** The engineer has done the repair. */
    @POST
    @Path("/{id}/complete")
    @RolesAllowed(Roles.ENGINEER)
    @WithTransaction
    @Operation(
            operationId = "completeAssignment",
            summary = "Complete a repair",
            description = "The engineer of the token's account has done the repair: the assignment and its call"
                    + " are completed. Only the engineer who accepted it; completing again answers the completed"
                    + " assignment as it is. No body (one sent is not read).")
    @APIResponse(responseCode = "200", description = "The assignment, COMPLETED")
    @APIResponse(responseCode = "403", description = NOT_AN_ENGINEER)
    @APIResponse(
            responseCode = "404",
            description = "No such assignment, or one offered to another engineer (`not-found`); nothing changed")
    @APIResponse(
            responseCode = "409",
            description = "The assignment does not allow it, nothing changed (`conflict`): it is not ACCEPTED"
                    + " (still offered, rejected, expired or withdrawn)")
    public Uni<AssignmentResponse> complete(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id) {
        UUID assignmentId = Params.pathId("assignment", id);
        CallerAccount acting = CallerAccount.of(caller);
        return found(id, acting.actingEngineer().chain(engineer -> saga.complete(assignmentId, engineer)));
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
