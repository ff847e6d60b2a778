package io.ascall.payment.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One page of a customer's payments, newest first; {@code total} counts all of them. */
@RegisterForReflection
@Schema(description = "One page of a customer's payments, newest first")
public record PaymentPage(
        @Schema(required = true) List<PaymentResponse> items,

        @Schema(required = true, description = "The page's index, from 0")
        int page,

        @Schema(required = true, description = "The page size asked for")
        int size,

        @Schema(required = true, description = "The customer's payments, on all pages")
        long total) {}
