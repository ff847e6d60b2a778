package io.ascall.events;

/**
 * A record that is not an event its reader can use: not JSON, a bad envelope, a type its topic
 * does not carry, or its own fields missing or malformed. It can never be applied, so a consumer
 * sets it aside (its dead-letter topic, with this message as the reason) and goes on.
 */
public class UnreadableEvent extends RuntimeException {

    public UnreadableEvent(String reason) {
        super(reason, null, false, false);
    }
}
