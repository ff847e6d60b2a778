package io.ascall.events;

/** The call was cancelled before an engineer was dispatched; its fee is refunded. */
public record CallCancelled(@Required CancellationReason reason) implements CallEvent {}
