package io.ascall.call.rest;

import java.util.Arrays;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.ascall.call.CallStatus;
import io.ascall.call.repository.CallRepository;
import io.ascall.call.service.CallCancellation;
import io.ascall.call.service.CallIntake;
import io.ascall.call.service.CancelOutcome;
import io.ascall.problem.CommonProblemType;
import io.ascall.problem.IdempotencyKey;
import io.ascall.problem.Problem;
import io.ascall.problem.QueryParams;
import io.ascall.security.Caller;
import io.ascall.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
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
 * The customer's API: request a repair engineer, and follow the call. A customer sees and changes
 * only their own calls (the token's subject); another customer's call is answered as no call (404),
 * not as forbidden, so that nobody learns which calls exist. Operators read every call.
 */
@Path("/calls")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Calls", description = "A customer's calls for a repair engineer: request one, follow it, cancel it")
public class CallResource {

    private static final String ID = "The call's id (a UUID; anything else is no call: 404)";
    static final int MAX_PAGE_SIZE = 100;

    private final CallIntake intake;
    private final IntakeAnswers answers;
    private final CallCancellation cancellation;
    private final CallRepository calls;
    private final Caller caller;

    public CallResource(
            CallIntake intake,
            IntakeAnswers answers,
            CallCancellation cancellation,
            CallRepository calls,
            Caller caller) {
        this.intake = intake;
        this.answers = answers;
        this.cancellation = cancellation;
        this.calls = calls;
        this.caller = caller;
    }

    /**
     * Requests a repair engineer and charges the visit fee. 201 with the call once paid; 422 when
     * the card is declined; 503 with {@code Retry-After} when payment-service is unavailable.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.CUSTOMER)
    @Operation(
            operationId = "requestCall",
            summary = "Request a repair engineer",
            description = "Stores the call of the customer the token names and charges its visit fee through"
                    + " payment-service before answering."
                    + " With an Idempotency-Key, a retry of the same request answers the first answer again"
                    + " (Idempotent-Replayed: true) and never charges twice.")
    @APIResponse(
            responseCode = "201",
            description = "The call, paid; an engineer is being found",
            headers = {
                @Header(name = "Location", description = "The call's URI", schema = @Schema(type = SchemaType.STRING)),
                @Header(
                        name = "Idempotent-Replayed",
                        description = "`true` when this is the stored answer to an earlier request with the key",
                        schema = @Schema(type = SchemaType.STRING, enumeration = "true"))
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = CallResponse.class)))
    @APIResponse(
            responseCode = "409",
            description = "A request with this Idempotency-Key is still being answered (`request-in-progress`);"
                    + " retry after Retry-After")
    @APIResponse(
            responseCode = "422",
            description = "The card was declined (`payment-declined`, with callId, paymentId and declineReason);"
                    + " or the Idempotency-Key was used for another body (`idempotency-key-reused`)")
    @APIResponse(
            responseCode = "503",
            description = "payment-service could not be reached (`payment-unavailable`, with callId and callStatus):"
                    + " nothing was charged; retry with the same Idempotency-Key after Retry-After; or the"
                    + " database is unreachable (`service-unavailable`)")
    public Uni<Response> request(
            @Valid @NotNull CallRequest body,
            @Parameter(
                            description = "Makes the request safe to retry: 1 to 255 visible ASCII characters (a UUID"
                                    + " recommended), kept 24 hours",
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            minLength = 1,
                                            maxLength = IdempotencyKey.MAX_LENGTH,
                                            pattern = IdempotencyKey.PATTERN))
                    @RestHeader("Idempotency-Key")
                    String idempotencyKey,
            HttpHeaders headers) {
        String key = IdempotencyKey.of(idempotencyKey, headers, IdempotencyKey.HEADER);
        return intake.take(body.toNewCall(caller.subject()), key, answers::replayable)
                .map(answers::toResponse);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.CUSTOMER, Roles.OPERATOR})
    @Operation(
            operationId = "getCall",
            summary = "A call",
            description = "The call where its saga is now: status, payment, the engineer offered or dispatched."
                    + " A customer's own call only (another's is a 404); an operator's any call.")
    @APIResponse(responseCode = "200", description = "The call")
    public Uni<CallResponse> get(@Parameter(description = ID) @RestPath String id) {
        return calls.findById(parseId(id))
                .map(call -> call != null && caller.mayRead(call.customerId) ? call : null)
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
    @RolesAllowed(Roles.CUSTOMER)
    @Operation(
            operationId = "cancelCall",
            summary = "Cancel a call",
            description = "Cancels a paid call before an engineer is dispatched: the fee is refunded and a standing"
                    + " offer withdrawn. Cancelling a cancelled call answers it again. A customer's own call only"
                    + " (another's is a 404).")
    @APIResponse(responseCode = "200", description = "The call, cancelled")
    @APIResponse(
            responseCode = "409",
            description = "The call is not paid-and-undispatched (`conflict`, with callStatus): an engineer is"
                    + " dispatched, or it completed, failed or is still being paid")
    public Uni<CallResponse> cancel(@Parameter(description = ID) @RestPath String id) {
        UUID callId = parseId(id);
        return cancellation.cancelByCustomer(callId, caller.subject()).map(outcome -> {
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
    @RolesAllowed({Roles.CUSTOMER, Roles.OPERATOR})
    @Operation(
            operationId = "listCalls",
            summary = "Calls, newest first",
            description = "Filtered by customer and/or status. With stuckFor, the operators' view: calls not yet"
                    + " final whose status has not changed for at least that long, longest-stuck first. A"
                    + " customer sees their own calls (customerId, if given, must be their own); stuckFor is for"
                    + " operators.")
    @APIResponse(responseCode = "200", description = "A page of calls")
    @APIResponse(
            responseCode = "403",
            description = "A customer asked for another customer's calls, or for the operators' stuckFor view"
                    + " (`forbidden`)")
    public Uni<CallPage> list(
            @Parameter(description = "Only this customer's calls (a customer: their own, the default)") @RestQuery
                    String customerId,
            @Parameter(description = "Only calls in this status", schema = @Schema(implementation = CallStatus.class))
                    @RestQuery
                    String status,
            @Parameter(
                            description = "Only calls not final whose status is unchanged for at least this long: an"
                                    + " ISO-8601 duration from PT0S to P3650D, such as PT10M",
                            schema = @Schema(type = SchemaType.STRING, format = "duration"))
                    @RestQuery
                    String stuckFor,
            @RestQuery @DefaultValue("0") String page,
            @RestQuery @DefaultValue("20") String size) {
        if (!caller.isOperator()) {
            if (customerId != null && !customerId.equals(caller.subject())) {
                throw forbidden("A customer sees only their own calls: leave customerId out, or give your own");
            }
            if (stuckFor != null) {
                throw forbidden("stuckFor is the operators' view");
            }
            customerId = caller.subject();
        }
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

    private static RuntimeException forbidden(String detail) {
        return Problem.of(CommonProblemType.FORBIDDEN, detail).toException();
    }

    private static RuntimeException invalid(String field, String message) {
        return Problem.invalid(field, message).toException();
    }
}
