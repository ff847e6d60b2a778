package io.ascall.events;

/** Facts about a customer's call, published by call-service on {@code call-events}. */
public sealed interface CallEvent extends SagaEvent permits CallRequested, CallPaid, CallPaymentFailed, CallCancelled {}
