package io.ascall.events;

/** A customer asked for an engineer; the call's visit fee is being charged. */
public record CallRequested(
        @Required String customerId,
        @Required ApplianceType applianceType,
        @Required String region,
        @Required String address,
        String description,
        @Required long fee,
        @Required String currency)
        implements CallEvent {}
