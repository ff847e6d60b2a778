package io.ascall.engineer.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of engineers, by name. */
@Schema(description = "One page of engineers, by name")
public record EngineerPage(
        @Schema(required = true) List<EngineerResponse> items,

        @Schema(required = true, description = "This page's index, from 0")
        int page,

        @Schema(required = true, description = "The page size asked for")
        int size,

        @Schema(required = true, description = "Engineers that match, on all pages")
        long total) {}
