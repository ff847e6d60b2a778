package io.ascall.call.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of calls, newest first. */
public record CallPage(
        @Schema(required = true) List<CallResponse> items,
        @Schema(required = true) int page,
        @Schema(required = true) int size,

        @Schema(required = true, description = "Calls that match, on all pages")
        long total) {}
