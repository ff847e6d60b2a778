package io.ascall.events;

import java.util.UUID;

/** The call's payment failed (declined, or payment-service unavailable); the call is closed. A charge that reached payment-service late must be voided. */
public record CallPaymentFailed(@Required FailureReason failureReason, UUID paymentId, String declineReason)
        implements CallEvent {}
