package io.ascall.payment.rest;

import java.net.URI;
import java.util.List;
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
import org.jboss.resteasy.reactive.RestResponse;

import io.ascall.payment.service.PaymentOrder;
import io.ascall.payment.service.PaymentService;
import io.ascall.problem.CommonProblemType;
import io.ascall.problem.FieldError;
import io.ascall.problem.IdempotencyKey;
import io.ascall.problem.Problem;
import io.ascall.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
 * The payments of calls: take a call's fee, void it, look payments up. Only call-service's own
 * identity (role payment-writer) charges and voids; operators look payments up. No route of this
 * resource is on the public gateway.
 */
@Path("/payments")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Payments", description = "The visit fees of calls: take a call's fee, void it, look payments up")
public class PaymentResource {

    private static final String UUID_PATTERN =
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    private static final String WHOLE_NUMBER = "^[0-9]{1,9}$";

    private static final String RETRY_AFTER = "Retry-After";
    private static final String RETRY_AFTER_DESCRIPTION = "Seconds to wait before trying again";

    private final PaymentService service;

    public PaymentResource(PaymentService service) {
        this.service = service;
    }

    /**
     * Takes the call's fee: 201 with the new payment (APPROVED or DECLINED), or 200 with the call's
     * existing payment when the request is repeated.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PAYMENT_WRITER)
    @Operation(
            operationId = "chargeVisitFee",
            summary = "Take a call's visit fee",
            description = "Registers the call's payment and has the card gateway charge it: 201 with the new"
                    + " payment, APPROVED or DECLINED (a declined card is a payment, not an error). A call has at"
                    + " most one payment: repeating the request for the call answers its existing payment with"
                    + " 200 (resuming a charge attempt that died) and never charges twice.")
    @APIResponse(
            responseCode = "201",
            description = "The new payment, APPROVED or DECLINED (with declineReason)",
            headers =
                    @Header(
                            name = "Location",
                            description = "The payment's URI, /payments/{id}",
                            schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = PaymentResponse.class)))
    @APIResponse(
            responseCode = "200",
            description = "The call already had a payment for this customer and amount: that payment (APPROVED,"
                    + " DECLINED or REFUNDED), nothing charged again",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = PaymentResponse.class)))
    @APIResponse(
            responseCode = "409",
            description = "The call's payment is still being charged by another request (`request-in-progress`):"
                    + " retry after Retry-After; or the call's payment was voided, before or while it was"
                    + " charged (`payment-voided`, with paymentId): the call was abandoned, start a new one",
            headers =
                    @Header(
                            name = RETRY_AFTER,
                            description = RETRY_AFTER_DESCRIPTION + " (`request-in-progress` only)",
                            schema = @Schema(type = SchemaType.INTEGER, minimum = "1")))
    @APIResponse(
            responseCode = "422",
            description = "The call already has a payment with another customer or amount (`payment-mismatch`,"
                    + " with paymentId)")
    @APIResponse(
            responseCode = "503",
            description = "The card gateway failed or did not answer in time (`payment-unavailable`): retry"
                    + " after Retry-After, the payment is resumed and never taken twice; or the database is"
                    + " unreachable (`service-unavailable`)",
            headers =
                    @Header(
                            name = RETRY_AFTER,
                            description = RETRY_AFTER_DESCRIPTION,
                            schema = @Schema(type = SchemaType.INTEGER, minimum = "1")))
    public Uni<RestResponse<PaymentResponse>> create(
            @NotNull @Valid PaymentRequest body,
            @Parameter(
                            description = "1 to 255 visible ASCII characters, kept with the payment for tracing."
                                    + " Payments are idempotent per call, not per key: a repeated request for the"
                                    + " call, with this key, another or none, answers the call's existing payment"
                                    + " (200).")
                    @RestHeader("Idempotency-Key")
                    @Size(min = 1, max = IdempotencyKey.MAX_LENGTH)
                    @Pattern(regexp = IdempotencyKey.PATTERN, message = IdempotencyKey.RULE)
                    String idempotencyKey,
            HttpHeaders headers) {
        String key = IdempotencyKey.of(idempotencyKey, headers, "idempotencyKey");
        PaymentOrder order = new PaymentOrder(body.callId(), body.customerId(), body.amount(), key);
        return service.pay(order).map(outcome -> {
            PaymentResponse payment = PaymentResponse.from(outcome.payment());
            return outcome.created()
                    ? RestResponse.ResponseBuilder.<PaymentResponse>created(URI.create("/payments/" + payment.id()))
                            .entity(payment)
                            .build()
                    : RestResponse.ok(payment);
        });
    }

    /** Voids the call's payment (refunding it if it was approved); idempotent. */
    @POST
    @Path("/voids")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PAYMENT_WRITER)
    @Operation(
            operationId = "voidCallPayment",
            summary = "Void a call's payment",
            description = "The call was abandoned: keep no money for it. A PENDING payment becomes VOIDED, an"
                    + " APPROVED one whose refund the saga made due (its call was cancelled) is refunded, a"
                    + " DECLINED or REFUNDED one is answered as it is, and a call without a payment gets a VOIDED"
                    + " tombstone (no customerId, amount 0) so that a later charge is refused. Idempotent.")
    @APIResponse(
            responseCode = "200",
            description = "The call's payment: VOIDED, REFUNDED, or DECLINED (nothing was taken)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = PaymentResponse.class)))
    @APIResponse(
            responseCode = "409",
            description = "The payment is APPROVED and its call goes on, so no refund is due (`conflict`): a paid"
                    + " call's fee is refunded by cancelling the call")
    @APIResponse(
            responseCode = "503",
            description = "The card gateway failed to refund (`payment-unavailable`): the refund stays due and is"
                    + " made in the background, voiding again retries it; or the database is unreachable"
                    + " (`service-unavailable`)",
            headers =
                    @Header(
                            name = RETRY_AFTER,
                            description = RETRY_AFTER_DESCRIPTION,
                            schema = @Schema(type = SchemaType.INTEGER, minimum = "1")))
    public Uni<PaymentResponse> voidCall(@NotNull @Valid VoidRequest body) {
        return service.voidCall(body.callId(), body.reason()).map(PaymentResponse::from);
    }

    @GET
    @Path("/{id}")
    @Operation(
            operationId = "getPayment",
            summary = "A payment",
            description = "The payment with this id, whatever its status (a void tombstone too).")
    @APIResponse(
            responseCode = "200",
            description = "The payment",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = PaymentResponse.class)))
    public Uni<PaymentResponse> get(
            @Parameter(description = "The payment's id (a UUID; anything else names no payment: 404)") @RestPath
                    UUID id) {
        return service.findById(id)
                .onItem()
                .ifNull()
                .failWith(() -> Problem.of(CommonProblemType.NOT_FOUND, "No payment " + id)
                        .toException())
                .map(PaymentResponse::from);
    }

    /**
     * By call: a JSON array of the call's payment (0 or 1 element). By customer: a page, newest
     * first. With both, the call's payment if it is the customer's.
     */
    @GET
    @Operation(
            operationId = "searchPayments",
            summary = "Payments of a call or of a customer",
            description = "Give callId, customerId or both (neither is a 400 `validation`). By callId: a JSON array"
                    + " of the call's payment, empty or of one element (with customerId too, only if it is that"
                    + " customer's). By customerId alone: a page of the customer's payments, newest first.")
    @APIResponse(
            responseCode = "200",
            description = "With callId, an array of 0 or 1 payment; with customerId alone, a page of payments",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(oneOf = {PaymentResponse[].class, PaymentPage.class})))
    public Uni<Response> search(
            @Parameter(
                            description = "The payment of this call (a UUID, else 400)",
                            schema = @Schema(type = SchemaType.STRING, format = "uuid", pattern = UUID_PATTERN))
                    @RestQuery
                    @Pattern(regexp = UUID_PATTERN, message = "must be a UUID")
                    String callId,
            @Parameter(
                            description = "The payments of this customer (1 to 64 characters); with callId, only"
                                    + " a filter on the call's payment")
                    @RestQuery
                    @Size(min = 1, max = 64)
                    String customerId,
            // Text checked by Bean Validation, so that "page=ten" is a 400 naming the parameter
            // rather than the 404 JAX-RS answers when it cannot convert a query parameter.
            @Parameter(description = "The page of the customer's payments, from 0; ignored with callId")
                    @RestQuery
                    @DefaultValue("0")
                    @Pattern(regexp = WHOLE_NUMBER, message = "must be a whole number")
                    @Max(1_000_000)
                    String page,
            @Parameter(description = "Payments per page, 1 to 100; ignored with callId")
                    @RestQuery
                    @DefaultValue("20")
                    @Pattern(regexp = WHOLE_NUMBER, message = "must be a whole number")
                    @Min(1)
                    @Max(100)
                    String size) {
        if (callId != null) {
            return service.findByCallId(UUID.fromString(callId))
                    .map(payment -> payment == null || customerId != null && !customerId.equals(payment.customerId())
                            ? List.<PaymentResponse>of()
                            : List.of(PaymentResponse.from(payment)))
                    .map(payments -> Response.ok(payments).build());
        }
        if (customerId != null) {
            int pageIndex = Integer.parseInt(page);
            int pageSize = Integer.parseInt(size);
            return service.findByCustomer(customerId, pageIndex, pageSize)
                    .map(found -> new PaymentPage(
                            found.items().stream().map(PaymentResponse::from).toList(),
                            pageIndex,
                            pageSize,
                            found.total()))
                    .map(payments -> Response.ok(payments).build());
        }
        return Uni.createFrom()
                .failure(Problem.of(CommonProblemType.VALIDATION, "Give callId or customerId")
                        .with(
                                "errors",
                                List.of(
                                        new FieldError("callId", "callId or customerId is required"),
                                        new FieldError("customerId", "callId or customerId is required")))
                        .toException());
    }
}
