package io.ascall.engineer.rest;

import java.util.UUID;

import jakarta.validation.constraints.NotNull;

/**
 * The body of an engineer's answer to an assignment ({@code accept}, {@code reject},
 * {@code complete}).
 *
 * @param engineerId the engineer acting: only the engineer the call was offered to may act on it
 */
public record EngineerAction(@NotNull UUID engineerId) {}
