package io.ascall.payment.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.ascall.payment.service.PaymentOrder;
import io.ascall.payment.service.PaymentService;
import io.ascall.problem.CommonProblemType;
import io.ascall.problem.FieldError;
import io.ascall.problem.Problem;
import io.smallrye.mutiny.Uni;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The payments of calls: take a call's fee, void it, look payments up. */
@Path("/payments")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentResource {

    private static final String UUID_PATTERN =
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    private static final String WHOLE_NUMBER = "^[0-9]{1,9}$";

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
    public Uni<RestResponse<PaymentResponse>> create(
            @NotNull @Valid PaymentRequest body,
            @RestHeader("Idempotency-Key") @Size(min = 1, max = 255) String idempotencyKey) {
        PaymentOrder order = new PaymentOrder(body.callId(), body.customerId(), body.amount(), idempotencyKey);
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
    public Uni<PaymentResponse> voidCall(@NotNull @Valid VoidRequest body) {
        return service.voidCall(body.callId(), body.reason()).map(PaymentResponse::from);
    }

    @GET
    @Path("/{id}")
    public Uni<PaymentResponse> get(@RestPath UUID id) {
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
    public Uni<Response> search(
            @RestQuery @Pattern(regexp = UUID_PATTERN, message = "must be a UUID") String callId,
            @RestQuery @Size(min = 1, max = 64) String customerId,
            // Text checked by Bean Validation, so that "page=ten" is a 400 naming the parameter
            // rather than the 404 JAX-RS answers when it cannot convert a query parameter.
            @RestQuery
                    @DefaultValue("0")
                    @Pattern(regexp = WHOLE_NUMBER, message = "must be a whole number")
                    @Max(1_000_000)
                    String page,
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
