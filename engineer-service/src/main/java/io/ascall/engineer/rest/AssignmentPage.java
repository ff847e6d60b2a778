package io.ascall.engineer.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of an engineer's assignments, newest first. */
@Schema(description = "One page of an engineer's assignments, newest first")
public record AssignmentPage(
        @Schema(required = true) List<AssignmentResponse> items,

        @Schema(required = true, description = "This page's index, from 0")
        int page,

        @Schema(required = true, description = "The page size asked for")
        int size,

        @Schema(required = true, description = "The engineer's assignments on all pages")
        long total) {}
