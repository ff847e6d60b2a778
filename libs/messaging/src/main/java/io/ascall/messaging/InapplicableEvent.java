package io.ascall.messaging;

/**
 * An event its step can read but can never apply, because of what came before it (a CallPaid for
 * a call whose CallRequested was itself dead-lettered, say). Retrying would fail forever and hold
 * up every later event of its partition, so the event goes to the dead-letter topic with this
 * message as the reason, after taking its place in its source's order.
 */
public class InapplicableEvent extends RuntimeException {

    public InapplicableEvent(String reason) {
        super(reason, null, false, false);
    }
}
