package io.ascall.engineer.rest;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

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
public class AssignmentResource {

    private static final String DEADLOCK = "40P01";

    private final DispatchSaga saga;

    public AssignmentResource(DispatchSaga saga) {
        this.saga = saga;
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<AssignmentResponse> get(@RestPath String id) {
        return found(id, Assignment.<Assignment>findById(Params.pathId("assignment", id)));
    }

    /** Every offer of a call, newest first: to whom it went, and what became of it. */
    @GET
    @WithSession
    public Uni<List<AssignmentResponse>> ofCall(@RestQuery String callId) {
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
    public Uni<AssignmentResponse> accept(@RestPath String id, @Valid @NotNull EngineerAction body) {
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
    public Uni<AssignmentResponse> reject(@RestPath String id, @Valid @NotNull EngineerAction body) {
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
    public Uni<AssignmentResponse> complete(@RestPath String id, @Valid @NotNull EngineerAction body) {
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
