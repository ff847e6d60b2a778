package io.ascall.engineer.rest;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.ascall.engineer.Engineer;
import io.ascall.events.ApplianceType;

/** An engineer as the API shows it. Every member is always present, none is null. */
@Schema(description = "A repair engineer")
public record EngineerResponse(
        @Schema(required = true) UUID id,

        @Schema(
                required = true,
                description = "The engineer's user id at the identity provider (the `sub` of their tokens): the"
                        + " account whose requests act as this engineer")
        String accountId,

        @Schema(required = true) String name,

        @Schema(required = true, description = "Where the engineer works; calls are offered within a region")
        String region,

        @Schema(required = true, description = "The appliance types the engineer repairs, in the enum's order")
        Set<ApplianceType> skills,

        @Schema(required = true, description = "Whether the engineer is offered calls")
        boolean active,

        @Schema(required = true) Instant registeredAt) {

    public static EngineerResponse of(Engineer engineer) {
        return new EngineerResponse(
                engineer.id,
                engineer.accountId,
                engineer.name,
                engineer.region,
                engineer.sortedSkills(),
                engineer.active,
                engineer.registeredAt);
    }
}
