package io.ascall.call.service;

import io.ascall.events.ApplianceType;

/**
 * What a customer asks for when requesting a repair engineer.
 *
 * <p>Its components, in this order, are also the request's idempotency fingerprint
 * ({@link CallIntake#fingerprint}): renaming or reordering them would make every stored
 * {@code Idempotency-Key} look reused with another body.
 */
public record NewCall(
        String customerId, ApplianceType applianceType, String region, String address, String description) {}
