package io.ascall.messaging;

/**
 * An event whose step failed {@code messaging.inbox.max-attempts} times for a reason other than an
 * outage: set aside like one its step refuses, so that it cannot hold up its partition for good.
 */
final class GaveUp extends InapplicableEvent {

    GaveUp(int attempts, Throwable last) {
        super("failed " + attempts + " times, last with " + last);
    }
}
