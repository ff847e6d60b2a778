package io.ascall.call;

import java.util.UUID;

/** A step the call's state machine does not allow from where the call is. */
public class CallTransitionRefused extends RuntimeException {
    public CallTransitionRefused(UUID callId, CallStatus from, CallStatus to) {
        super("Call " + callId + " is " + from + " and cannot become " + to);
    }
}
