package io.ascall.engineer.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.validator.constraints.UniqueElements;

import io.ascall.events.ApplianceType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * An engineer's registration ({@code POST /engineers}).
 *
 * @param name   1 to 100 characters
 * @param region where the engineer works, 1 to 64 characters; calls are offered within a region
 * @param skills the appliance types the engineer repairs: at least one, each once
 */
@Schema(description = "An engineer's registration")
public record EngineerRequest(
        @Schema(description = "1 to 100 characters, not all blank") @NotBlank @Size(max = 100)
        String name,

        @Schema(
                description = "Where the engineer works, 1 to 64 characters, not all blank; calls are offered"
                        + " within a region")
        @NotBlank
        @Size(max = 64)
        String region,

        @Schema(description = "The appliance types the engineer repairs: at least one, each once", uniqueItems = true)
        @NotNull
        @Size(min = 1, max = 9)
        @UniqueElements
        List<@NotNull ApplianceType> skills) {}
