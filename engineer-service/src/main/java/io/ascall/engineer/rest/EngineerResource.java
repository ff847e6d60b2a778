package io.ascall.engineer.rest;

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
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
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

/** Engineers: register, look up, find by region and skill, and see the calls offered to one. */
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

    private final Clock clock;

    public EngineerResource(Clock clock) {
        this.clock = clock;
    }

    /** Registers an engineer, active at once: 201 with the engineer and its {@code Location}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(
            operationId = "registerEngineer",
            summary = "Register an engineer",
            description = "Registers an engineer, active at once: from now on they are offered the calls of"
                    + " their region for the appliances they repair.")
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
    public Uni<Response> register(@Valid @NotNull EngineerRequest body) {
        Engineer engineer = Engineer.register(body.name(), body.region(), body.skills(), clock.instant());
        return engineer.persist()
                .map(ignored -> Response.status(Response.Status.CREATED)
                        .header(HttpHeaders.LOCATION, "/engineers/" + engineer.id)
                        .entity(EngineerResponse.of(engineer))
                        .build());
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(
            operationId = "getEngineer",
            summary = "An engineer",
            description = "The engineer: name, region, skills, and whether they are offered calls.")
    @APIResponse(responseCode = "200", description = "The engineer")
    public Uni<EngineerResponse> get(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id) {
        return find(id).map(EngineerResponse::of);
    }

    /** Engineers by name, filtered by region and/or skill. */
    @GET
    @WithSession
    @Operation(
            operationId = "listEngineers",
            summary = "Engineers, by name",
            description = "Engineers, active or not, ordered by name, filtered by region and/or skill; without a"
                    + " filter, all of them.")
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
    @WithSession
    @Operation(
            operationId = "listEngineerAssignments",
            summary = "The calls offered to an engineer",
            description = "The calls offered to the engineer, current and past, newest first, with what became of"
                    + " each (accepted, rejected, expired, withdrawn, completed).")
    @APIResponse(responseCode = "200", description = "A page of the engineer's assignments")
    public Uni<AssignmentPage> assignments(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id,
            @Parameter(description = PAGE) @RestQuery @DefaultValue("0") String page,
            @Parameter(description = SIZE) @RestQuery @DefaultValue("20") String size) {
        int pageIndex = Params.page(page);
        int pageSize = Params.size(size);
        return find(id).chain(engineer -> {
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
    @WithTransaction
    @Operation(
            operationId = "activateEngineer",
            summary = "Offer an engineer calls again",
            description = "The engineer is offered calls again. Idempotent: activating an active engineer"
                    + " answers it as it is.")
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
    @WithTransaction
    @Operation(
            operationId = "deactivateEngineer",
            summary = "Offer an engineer no more calls",
            description = "The engineer is offered no more calls; the assignments they already hold stay theirs"
                    + " to answer and complete. Idempotent: deactivating an inactive engineer answers it as it is.")
    @APIResponse(responseCode = "200", description = "The engineer, inactive")
    public Uni<EngineerResponse> deactivate(
            @Parameter(description = ID, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath
                    String id) {
        return findForChange(id).invoke(engineer -> engineer.active = false).map(EngineerResponse::of);
    }

    private static Uni<Engineer> find(String id) {
        UUID engineerId = Params.pathId("engineer", id);
        return Engineer.<Engineer>findById(engineerId)
                .onItem()
                .ifNull()
                .failWith(() -> Params.notFound("engineer", id));
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
