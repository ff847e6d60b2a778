package io.ascall.payment.rest;

import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /payments/voids}: the call was abandoned, keep no money for it.
 *
 * @param callId the abandoned call
 * @param reason why, for the record: up to 200 characters, optional
 */
public record VoidRequest(
        @NotNull UUID callId, @Size(max = 200) String reason) {}
