package io.ascall.engineer.messaging;

/**
 * A record that is not an event this service can read, or of a type it does not know. It goes to
 * the dead-letter topic with this message as the reason, and the channel goes on.
 */
public class UnreadableEvent extends RuntimeException {
    public UnreadableEvent(String reason) {
        super(reason, null, false, false);
    }
}
