package io.ascall.call.idempotency;

import java.util.UUID;

/** What a request may do with its {@code Idempotency-Key}. */
public sealed interface KeyClaim {

    /** The key is new: this request creates the call it now names. */
    record Fresh() implements KeyClaim {}

    /** An earlier request with this key died mid-way: this one carries on with its call. */
    record Resume(UUID callId) implements KeyClaim {}

    /** The request already finished: answer exactly as then. */
    record Replay(StoredAnswer answer) implements KeyClaim {}

    /** Another request with this key is running right now. */
    record InProgress() implements KeyClaim {}

    /** The key was used for a request with another body. */
    record Mismatch() implements KeyClaim {}
}
