package io.ascall.events;

import java.util.UUID;

/** The call's visit fee is paid: the call may be offered to engineers. */
public record CallPaid(@Required UUID paymentId) implements CallEvent {}
