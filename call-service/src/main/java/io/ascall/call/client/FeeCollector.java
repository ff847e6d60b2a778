package io.ascall.call.client;

import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.ascall.call.Call;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

/**
 * The guarded boundary to payment-service. A slow or dead payment-service must never hang or
 * break call-service: each call has a timeout, repeated failures open a circuit breaker so that
 * further requests fail fast without touching payment-service, and every failure ends as an
 * {@link PaymentOutcome.Unavailable} answer instead of an exception.
 *
 * <p>The values in the annotations are only defaults: application.properties sets them
 * ({@code quarkus.fault-tolerance."io.ascall.call.client.FeeCollector/collect".*}).
 */
@ApplicationScoped
public class FeeCollector {

    private static final Logger LOG = Logger.getLogger(FeeCollector.class);

    private final PaymentClient payments;

    public FeeCollector(@RestClient PaymentClient payments) {
        this.payments = payments;
    }

    /**
     * Charges the call's fee. A declined card is an answer, not a failure: it does not count
     * against the breaker.
     */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(
            requestVolumeThreshold = 20,
            failureRatio = 0.5,
            delay = 5,
            delayUnit = ChronoUnit.SECONDS,
            skipOn = PaymentRefused.class)
    @CircuitBreakerName("payment-charge")
    @Fallback(fallbackMethod = "chargeUnavailable")
    public Uni<PaymentOutcome> collect(Call call, String idempotencyKey) {
        return payments.charge(idempotencyKey, new PaymentClient.ChargeRequest(call.id, call.customerId, call.fee))
                .onFailure(FeeCollector::isClientError)
                .transform(PaymentRefused::new)
                .map(payment -> payment.approved()
                        ? new PaymentOutcome.Approved(payment.id())
                        : new PaymentOutcome.Declined(payment.id(), payment.declineReason()));
    }

    Uni<PaymentOutcome> chargeUnavailable(Call call, String idempotencyKey, Throwable failure) {
        String reason = describe(failure);
        LOG.warnf("Payment of call %s unavailable: %s", call.id, reason);
        return Uni.createFrom().item(new PaymentOutcome.Unavailable(reason));
    }

    /** payment-service is up and said no (4xx): no reason to open the breaker. */
    private static boolean isClientError(Throwable failure) {
        return failure instanceof WebApplicationException web
                && web.getResponse().getStatus() < 500;
    }

    /** payment-service refused the request itself (a 4xx answer), as opposed to failing. */
    static final class PaymentRefused extends RuntimeException {
        PaymentRefused(Throwable cause) {
            super("payment-service refused the request: " + cause.getMessage(), cause);
        }
    }

    private static String describe(Throwable failure) {
        if (failure instanceof CircuitBreakerOpenException) {
            return "circuit breaker open";
        }
        if (failure instanceof TimeoutException
                || failure instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException) {
            return "no answer in time";
        }
        if (failure instanceof PaymentRefused refused) {
            return refused.getMessage();
        }
        if (failure instanceof WebApplicationException web) {
            return "payment-service answered " + web.getResponse().getStatus();
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
