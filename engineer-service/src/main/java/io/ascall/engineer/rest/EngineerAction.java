package io.ascall.engineer.rest;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import jakarta.validation.constraints.NotNull;

/**
 * The body of an engineer's answer to an assignment ({@code accept}, {@code reject},
 * {@code complete}).
 *
 * @param engineerId the engineer acting: only the engineer the call was offered to may act on it
 */
@Schema(description = "An engineer's answer to an assignment")
public record EngineerAction(
        @Schema(description = "The engineer acting: only the engineer the call was offered to may act on it") @NotNull
        UUID engineerId) {}
