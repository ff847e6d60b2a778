package io.ascall.events;

import java.util.UUID;

/** Facts about a call's visit fee payment, published by payment-service on {@code payment-events}. */
public sealed interface PaymentEvent extends SagaEvent
        permits PaymentApproved, PaymentDeclined, PaymentVoided, PaymentRefunded {

    UUID paymentId();
}
