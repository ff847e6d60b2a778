package io.ascall.payment.rest;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /payments/voids}: the call was abandoned, keep no money for it.
 *
 * @param callId the abandoned call
 * @param reason why, for the record: up to 200 characters, optional
 */
@Schema(description = "Void a call's payment: the call was abandoned")
public record VoidRequest(
        @Schema(description = "The abandoned call") @NotNull UUID callId,

        @Schema(description = "Why, for the record: up to 200 characters, optional") @Size(max = 200)
        String reason) {}
