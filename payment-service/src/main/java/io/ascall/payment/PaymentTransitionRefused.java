package io.ascall.payment;

/** A payment was asked to move to a state its current state does not lead to. */
public class PaymentTransitionRefused extends RuntimeException {

    public PaymentTransitionRefused(Payment payment, String transition) {
        super("Payment " + payment.id() + " is " + payment.status() + " and cannot " + transition);
    }
}
