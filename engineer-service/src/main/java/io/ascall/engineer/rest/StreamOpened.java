package io.ascall.engineer.rest;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The data of the {@code stream-opened} event that starts every engineer's stream, for the API
 * description only: {@code io.ascall.engineer.stream.EngineerStream} writes this JSON itself.
 *
 * @param engineerId  the engineer whose stream it is
 * @param lastEventId the position the stream starts after, also the event's id
 */
@Schema(description = "The data of `stream-opened`, the first event of every stream")
public record StreamOpened(
        @Schema(required = true, description = "The engineer whose stream it is")
        UUID engineerId,

        @Schema(
                required = true,
                minimum = "0",
                description = "The id of the last event before this stream's first (0 before the"
                        + " engineer's first); the event's own id too")
        long lastEventId) {}
