package io.ascall.engineer.saga;

import io.ascall.engineer.ApplianceType;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The fields of call-service's events (topic {@code call-events}) that engineer-service uses, as
 * {@code docs/asyncapi.yaml} defines them. Fields it does not use are ignored.
 */
public final class CallEvent {

    private CallEvent() {
    }

    /** A customer asked for an engineer: what to repair, and where. */
    @RegisterForReflection
    public record CallRequested(String customerId, ApplianceType applianceType, String region, String address,
            String description) {
    }
}
