package io.ascall.call.idempotency;

/**
 * The answer kept with an {@code Idempotency-Key}, as the rest layer wrote it, to be replayed
 * byte for byte to a retry with the same key. Opaque to the service layer, which only keeps it.
 *
 * @param location the {@code Location} of a created call, or null
 */
public record StoredAnswer(int status, String contentType, String body, String location) {}
