package io.ascall.call.client;

import java.util.UUID;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** payment-service's HTTP API, as call-service uses it. Never called directly: see {@link FeeCollector}. */
@RegisterRestClient(configKey = "payment")
// call-service's own token (client credentials, quarkus-oidc-client): payment-service takes charges
// from this identity alone
@OidcClientFilter
@Path("/payments")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface PaymentClient {

    /** Charges a call's fee. payment-service answers the existing payment for a call it has seen. */
    @POST
    Uni<PaymentResult> charge(@HeaderParam("Idempotency-Key") String idempotencyKey, ChargeRequest request);

    record ChargeRequest(UUID callId, String customerId, long amount) {}

    /** The part of payment-service's payment that call-service reads; other fields are ignored. */
    record PaymentResult(UUID id, UUID callId, String status, String declineReason) {
        public boolean approved() {
            return "APPROVED".equals(status);
        }
    }
}
