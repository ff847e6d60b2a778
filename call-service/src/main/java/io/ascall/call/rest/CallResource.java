package io.ascall.call.rest;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.call.problem.Problem;
import io.ascall.call.problem.ProblemType;
import io.ascall.call.service.CallIntake;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The customer's API: request a repair engineer, and follow the call. */
@Path("/calls")
@Produces(MediaType.APPLICATION_JSON)
public class CallResource {

    static final int MAX_KEY_LENGTH = 255;
    static final int MAX_PAGE_SIZE = 100;

    private final CallIntake intake;

    public CallResource(CallIntake intake) {
        this.intake = intake;
    }

    /**
     * Requests a repair engineer and charges the visit fee. 201 with the call once paid; 422 when
     * the card is declined; 503 with {@code Retry-After} when payment-service is unavailable.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> request(@Valid @NotNull CallRequest body,
            @RestHeader("Idempotency-Key") String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY_LENGTH)) {
            throw invalid("Idempotency-Key", "must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        return intake.take(body, idempotencyKey).map(answer -> answer.toResponse());
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<CallResponse> get(@RestPath String id) {
        UUID callId = parseId(id);
        return Call.<Call>findById(callId)
                .onItem().ifNull().failWith(() -> Problem.of(ProblemType.NOT_FOUND, "No call " + id).toException())
                .map(CallResponse::of);
    }

    /** Calls newest first, filtered by customer and/or status. */
    @GET
    @WithSession
    public Uni<CallPage> list(@RestQuery String customerId, @RestQuery String status,
            @RestQuery @DefaultValue("0") String page, @RestQuery @DefaultValue("20") String size) {
        int pageIndex = parseInt("page", page, 0, Integer.MAX_VALUE);
        int pageSize = parseInt("size", size, 1, MAX_PAGE_SIZE);
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters parameters = new Parameters();
        if (customerId != null) {
            query.append(" and customerId = :customerId");
            parameters.and("customerId", customerId);
        }
        if (status != null) {
            query.append(" and status = :status");
            parameters.and("status", parseStatus(status));
        }
        var calls = Call.<Call>find(query.toString(), Sort.descending("createdAt").and("id"), parameters);
        return calls.page(pageIndex, pageSize).list()
                .chain(items -> calls.count().map(total -> new CallPage(
                        items.stream().map(CallResponse::of).toList(), pageIndex, pageSize, total)));
    }

    /** Query parameters are parsed here, not by JAX-RS, which would answer a malformed one with 404. */
    private static int parseInt(String field, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(field, max == Integer.MAX_VALUE
                ? "must be a whole number, " + min + " or more"
                : "must be a whole number from " + min + " to " + max);
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Problem.of(ProblemType.NOT_FOUND, "No call " + id + " (call ids are UUIDs)").toException();
        }
    }

    private static CallStatus parseStatus(String status) {
        try {
            return CallStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw invalid("status", "must be one of " + Arrays.toString(CallStatus.values()));
        }
    }

    private static RuntimeException invalid(String field, String message) {
        return Problem.of(ProblemType.VALIDATION, "Invalid or missing: " + field)
                .with("errors", List.of(Map.of("field", field, "message", message))).toException();
    }
}
