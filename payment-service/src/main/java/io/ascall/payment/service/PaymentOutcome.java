package io.ascall.payment.service;

import io.ascall.payment.Payment;

/**
 * The answer to a payment order.
 *
 * @param created whether this request created the payment (201) or found the call's existing one (200)
 */
public record PaymentOutcome(Payment payment, boolean created) {

    static PaymentOutcome created(Payment payment) {
        return new PaymentOutcome(payment, true);
    }

    static PaymentOutcome existing(Payment payment) {
        return new PaymentOutcome(payment, false);
    }
}
