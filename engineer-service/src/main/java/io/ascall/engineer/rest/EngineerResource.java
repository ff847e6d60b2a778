package io.ascall.engineer.rest;

import java.sql.SQLException;
import java.time.Clock;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.ascall.engineer.Assignment;
import io.ascall.engineer.Engineer;
import io.ascall.events.ApplianceType;
import io.ascall.problem.CommonProblemType;
import io.ascall.problem.Problem;
import io.ascall.security.Caller;
import io.ascall.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.LockModeType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Engineers: register, look up, find by region and skill, and see the calls offered to one.
 * Operators run the register; an engineer sees their own record ({@code /engineers/me}, or by id)
 * and the calls offered to them. Another engineer's record is answered as no engineer (404), not as
 * forbidden, so that nobody learns which ids are engineers.
 */
@Path("/engineers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
        name = "Engineers",
        description = "Repair engineers: register, look up, find by region and skill, stop or resume offering them"
                + " calls, and see the calls offered to one")
public class EngineerResource {

    static final String ID = "The engineer's id, a UUID (anything else names no engineer: 404)";
    private static final String PAGE = "The page, from 0";
    private static final String SIZE = "Items per page, 1 to 100";

    /** SQLSTATE unique_violation, and the constraint that allows one engineer per account (V4). */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final String ONE_PER_ACCOUNT = "engineer_account_once";

    private final Clock clock;
    private final Caller caller;

    public EngineerResource(Clock clock, Caller caller) {
        this.clock = clock;
        this.caller = caller;
    }

    /**
     * Registers an engineer, active at once: 201 with the engineer and its {@code Location}; 409 when
     * an engineer is registered for the account already.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @WithTransaction
    @Operation(
            operationId = "registerEngineer",
            summary = "Register an engineer",
            description = "Registers an engineer for their account at the identity provider, active at once:"
                    + " from now on they are offered the calls of their region for the appliances they repair,"
                    + " and their tokens act as this engineer. Operators only.")
    @APIResponse(
            responseCode = "201",
            description = "The engineer, registered and active",
            headers =
                    @Header(
                            name = HttpHeaders.LOCATION,
                            description = "The engineer's path, `/engineers/{id}`",
                            schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = EngineerResponse.class)))
    @APIResponse(
            responseCode = "409",
            description = "An engineer is registered for this accountId already (`conflict`): nothing registered")
    public Uni<Response> register(@Valid @NotNull EngineerRequest body) {
        Engineer engineer =
                Engineer.register(body.accountId(), body.name(), body.region(), body.skills(), clock.instant());
        // flushed here, not at commit, so that a second registration for the account fails where
        // it can still be answered as a 409; the unique constraint decides, also between two racing
        return engineer.persist()
                .chain(Panache::flush)
                .onFailure(EngineerResource::accountTaken)
                .transform(e -> Problem.of(
                                CommonProblemType.CONFLICT,
                                "An engineer is registered for account " + body.accountId() + " already")
                        .with("accountId", body.accountId())
                        .toException())
                .map(ignored -> Response.status(Response.Status.CREATED)
                        .header(HttpHeaders.LOCATION, "/engineers/" + engineer.id)
                        .entity(EngineerResponse.of(engineer))
                        .build());
    }

    /** The engineer linked to the caller's account: where an engineer's app starts. */
    @GET
    @Path("/me")
    @RolesAllowed(Roles.ENGINEER)
    @WithSession
    @Operation(
            operationId = "getMyEngineer",
            summary = "The caller's own engineer record",
            description = "The engineer registered for the account the token names (its `sub`): their id, to"
                    + " follow their assignments and stream, and what they repair where. Engineers only.")
    @APIResponse(responseCode = "200", description = "The caller's engineer record")
    @APIResponse(
            responseCode = "404",
            description = "No engineer is registered for this account (`not-found`): an operator registers"
                    + " the engineer first")
    public Uni<EngineerResponse> me() {
        return CallerAccount.of(caller)
                .engineer()
                .onItem()
                .ifNull()
                .failWith(() -> Problem.of(CommonProblemType.NOT_FOUND, CallerAccount.NO_ENGINEER)
                        .toException())
                .map(EngineerResponse::of);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ENGINEER, Roles.OPERATOR})
    @WithSession
    @Operation(
            operationId = "getEngineer",
            summary = "An engineer",
            description = "The engineer: name, region, skills, and whether they are offered calls. An engineer"
                    + " reads their own record only (another's is a 404); an operator reads any.")
    @APIResponse(responseCode = "200", description = "The engineer")
    public Uni<EngineerResponse> get(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id) {
        return readable(id).map(EngineerResponse::of);
    }

    /** Engineers by name, filtered by region and/or skill. */
    @GET
    @RolesAllowed(Roles.OPERATOR)
    @WithSession
    @Operation(
            operationId = "listEngineers",
            summary = "Engineers, by name",
            description = "Engineers, active or not, ordered by name, filtered by region and/or skill; without a"
                    + " filter, all of them. Operators only.")
    @APIResponse(responseCode = "200", description = "A page of engineers")
    public Uni<EngineerPage> list(
            @Parameter(
                            description = "Only the engineers of this region, matched exactly (case-sensitive);"
                                    + " regions are at most 64 characters, so a longer value matches nobody")
                    @RestQuery
                    String region,
            @Parameter(
                            description = "Only the engineers who repair this appliance type; another value is a 400",
                            schema = @Schema(implementation = ApplianceType.class))
                    @RestQuery
                    String skill,
            @Parameter(description = PAGE) @RestQuery @DefaultValue("0") String page,
            @Parameter(description = SIZE) @RestQuery @DefaultValue("20") String size) {
        int pageIndex = Params.page(page);
        int pageSize = Params.size(size);
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters parameters = new Parameters();
        if (region != null) {
            query.append(" and region = :region");
            parameters.and("region", region);
        }
        if (skill != null) {
            query.append(" and :skill member of skills");
            parameters.and("skill", Params.enumValue("skill", skill, ApplianceType.class));
        }
        var engineers =
                Engineer.<Engineer>find(query.toString(), Sort.ascending("name").and("id"), parameters);
        return engineers
                .page(pageIndex, pageSize)
                .list()
                .chain(items -> engineers
                        .count()
                        .map(total -> new EngineerPage(
                                items.stream().map(EngineerResponse::of).toList(), pageIndex, pageSize, total)));
    }

    /** The calls offered to the engineer, current and past, newest first, with what became of each. */
    @GET
    @Path("/{id}/assignments")
    @RolesAllowed({Roles.ENGINEER, Roles.OPERATOR})
    @WithSession
    @Operation(
            operationId = "listEngineerAssignments",
            summary = "The calls offered to an engineer",
            description = "The calls offered to the engineer, current and past, newest first, with what became of"
                    + " each (accepted, rejected, expired, withdrawn, completed). An engineer sees their own"
                    + " only (another's engineer is a 404); an operator any engineer's.")
    @APIResponse(responseCode = "200", description = "A page of the engineer's assignments")
    public Uni<AssignmentPage> assignments(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id,
            @Parameter(description = PAGE) @RestQuery @DefaultValue("0") String page,
            @Parameter(description = SIZE) @RestQuery @DefaultValue("20") String size) {
        int pageIndex = Params.page(page);
        int pageSize = Params.size(size);
        return readable(id).chain(engineer -> {
            var assignments = Assignment.<Assignment>find(
                    "engineerId", Sort.descending("offeredAt").and("id"), engineer.id);
            return assignments
                    .page(pageIndex, pageSize)
                    .list()
                    .chain(items -> assignments
                            .count()
                            .map(total -> new AssignmentPage(
                                    items.stream().map(AssignmentResponse::of).toList(), pageIndex, pageSize, total)));
        });
    }

    /** The engineer is offered calls again (idempotent). */
    @POST
    @Path("/{id}/activate")
    @RolesAllowed(Roles.OPERATOR)
    @WithTransaction
    @Operation(
            operationId = "activateEngineer",
            summary = "Offer an engineer calls again",
            description = "The engineer is offered calls again. Idempotent: activating an active engineer"
                    + " answers it as it is. Operators only.")
    @APIResponse(responseCode = "200", description = "The engineer, active")
    public Uni<EngineerResponse> activate(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id) {
        return findForChange(id).invoke(engineer -> engineer.active = true).map(EngineerResponse::of);
    }

    /**
     * The engineer is offered no more calls (idempotent); what they already hold stays theirs to
     * answer.
     */
    @POST
    @Path("/{id}/deactivate")
    @RolesAllowed(Roles.OPERATOR)
    @WithTransaction
    @Operation(
            operationId = "deactivateEngineer",
            summary = "Offer an engineer no more calls",
            description = "The engineer is offered no more calls; the assignments they already hold stay theirs"
                    + " to answer and complete. Idempotent: deactivating an inactive engineer answers it as it is."
                    + " Operators only.")
    @APIResponse(responseCode = "200", description = "The engineer, inactive")
    public Uni<EngineerResponse> deactivate(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id) {
        return findForChange(id).invoke(engineer -> engineer.active = false).map(EngineerResponse::of);
    }

    /**
     * The engineer, if the caller may read it: an operator any, an engineer their own; anything
     * else is the same 404 as an unknown id.
     */
    private Uni<Engineer> readable(String id) {
        UUID engineerId = Params.pathId("engineer", id);
        CallerAccount reader = CallerAccount.of(caller);
        return Engineer.<Engineer>findById(engineerId)
                .map(engineer -> engineer != null && reader.mayRead(engineer) ? engineer : null)
                .onItem()
                .ifNull()
                .failWith(() -> Params.notFound("engineer", id));
    }

    /**
     * The insert failed on the constraint that allows one engineer per account, as Hibernate
     * Reactive reports it (an {@link SQLException} or a {@link PgException} somewhere in its causes).
     */
    private static boolean accountTaken(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof PgException pg
                    && UNIQUE_VIOLATION.equals(pg.getSqlState())
                    && ONE_PER_ACCOUNT.equals(pg.getConstraint())) {
                return true;
            }
            if (cause instanceof SQLException sql
                    && UNIQUE_VIOLATION.equals(sql.getSQLState())
                    && String.valueOf(sql.getMessage()).contains(ONE_PER_ACCOUNT)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The engineer, locked until the transaction ends: two changes at once wait, not fail on the
     * version. A query, not {@code findById(id, lock)}: for an entity with an eager collection
     * Hibernate Reactive loads first and locks after (hibernate-reactive#1905), keeping the version it
     * read before the wait, so the change then fails as if there were no lock.
     */
    private static Uni<Engineer> findForChange(String id) {
        UUID engineerId = Params.pathId("engineer", id);
        return Engineer.<Engineer>find("id", engineerId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult()
                .onItem()
                .ifNull()
                .failWith(() -> Params.notFound("engineer", id));
    }
}
