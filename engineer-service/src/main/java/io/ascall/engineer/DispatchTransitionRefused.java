package io.ascall.engineer;

import java.util.UUID;

/** A step the dispatch's state machine does not allow from where the call is. */
public class DispatchTransitionRefused extends RuntimeException {

    public DispatchTransitionRefused(UUID callId, DispatchState from, DispatchState to) {
        super("Call " + callId + " is " + from + " here and cannot become " + to);
    }
}
