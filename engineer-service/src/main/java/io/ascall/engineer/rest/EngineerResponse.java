package io.ascall.engineer.rest;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import io.ascall.engineer.Engineer;
import io.ascall.events.ApplianceType;

/** An engineer as the API shows it. */
public record EngineerResponse(
        UUID id, String name, String region, Set<ApplianceType> skills, boolean active, Instant registeredAt) {

    public static EngineerResponse of(Engineer engineer) {
        return new EngineerResponse(
                engineer.id,
                engineer.name,
                engineer.region,
                engineer.sortedSkills(),
                engineer.active,
                engineer.registeredAt);
    }
}
