package io.ascall.call.rest;

import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.ascall.call.CallStatus;
import io.ascall.call.repository.CallRepository;
import io.ascall.call.service.CallCancellation;
import io.ascall.call.service.CallIntake;
import io.ascall.call.service.CancelOutcome;
import io.ascall.problem.CommonProblemType;
import io.ascall.problem.Problem;
import io.ascall.problem.QueryParams;
import io.smallrye.mutiny.Uni;
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

/** The customer's API: request a repair engineer, and follow the call. */
@Path("/calls")
@Produces(MediaType.APPLICATION_JSON)
public class CallResource {

    static final int MAX_KEY_LENGTH = 255;
    static final int MAX_PAGE_SIZE = 100;
    /** A key is a token such as a UUID (an HTTP structured-field string): no spaces, no controls. */
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x21-\\x7E]{1," + MAX_KEY_LENGTH + "}");

    private final CallIntake intake;
    private final IntakeAnswers answers;
    private final CallCancellation cancellation;
    private final CallRepository calls;

    public CallResource(CallIntake intake, IntakeAnswers answers, CallCancellation cancellation, CallRepository calls) {
        this.intake = intake;
        this.answers = answers;
        this.cancellation = cancellation;
        this.calls = calls;
    }

    /**
     * Requests a repair engineer and charges the visit fee. 201 with the call once paid; 422 when
     * the card is declined; 503 with {@code Retry-After} when payment-service is unavailable.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> request(
            @Valid @NotNull CallRequest body,
            @RestHeader("Idempotency-Key") String idempotencyKey,
            HttpHeaders headers) {
        // an empty value reaches @RestHeader as no key at all: it must be refused, not ignored
        if (idempotencyKey == null && headers.getRequestHeaders().containsKey("Idempotency-Key")) {
            idempotencyKey = "";
        }
        if (idempotencyKey != null && !VISIBLE_ASCII.matcher(idempotencyKey).matches()) {
            throw invalid("Idempotency-Key", "must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters");
        }
        return intake.take(body.toNewCall(), idempotencyKey, answers::replayable)
                .map(answers::toResponse);
    }

    @GET
    @Path("/{id}")
    public Uni<CallResponse> get(@RestPath String id) {
        return calls.findById(parseId(id))
                .onItem()
                .ifNull()
                .failWith(() ->
                        Problem.of(CommonProblemType.NOT_FOUND, "No call " + id).toException())
                .map(CallResponse::of);
    }

    /**
     * Cancels a paid call before an engineer is dispatched: 200 with the call (also when it was
     * cancelled already); 409 once dispatched. The fee is refunded and a standing offer withdrawn.
     */
    @POST
    @Path("/{id}/cancel")
    public Uni<CallResponse> cancel(@RestPath String id) {
        UUID callId = parseId(id);
        return cancellation.cancelByCustomer(callId).map(outcome -> {
            if (outcome instanceof CancelOutcome.Cancelled cancelled) {
                return CallResponse.of(cancelled.call());
            }
            if (outcome instanceof CancelOutcome.Refused refused) {
                throw Problem.of(
                                CommonProblemType.CONFLICT,
                                "Call " + callId + " is " + refused.call().status
                                        + ": only a paid call not yet dispatched to an engineer can be cancelled")
                        .with("callStatus", refused.call().status)
                        .toException();
            }
            throw Problem.of(CommonProblemType.NOT_FOUND, "No call " + callId).toException();
        });
    }

    /**
     * Calls newest first, filtered by customer and/or status. With {@code stuckFor} (an ISO-8601
     * duration such as PT10M), the operators' view: calls not yet final whose status has not
     * changed for at least that long, longest-stuck first.
     */
    @GET
    public Uni<CallPage> list(
            @RestQuery String customerId,
            @RestQuery String status,
            @RestQuery String stuckFor,
            @RestQuery @DefaultValue("0") String page,
            @RestQuery @DefaultValue("20") String size) {
        int pageIndex = QueryParams.page(page);
        int pageSize = QueryParams.size(size, MAX_PAGE_SIZE);
        CallRepository.Filter filter = new CallRepository.Filter(
                customerId,
                status == null ? null : parseStatus(status),
                stuckFor == null ? null : QueryParams.duration("stuckFor", stuckFor));
        return calls.list(filter, pageIndex, pageSize)
                .map(found -> new CallPage(
                        found.items().stream().map(CallResponse::of).toList(), pageIndex, pageSize, found.total()));
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Problem.of(CommonProblemType.NOT_FOUND, "No call " + id + " (call ids are UUIDs)")
                    .toException();
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
        return Problem.invalid(field, message).toException();
    }
}
