package io.ascall.engineer;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.hibernate.annotations.BatchSize;

import io.ascall.events.ApplianceType;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * A repair engineer: who, where they work, and what they can repair. Only active engineers are
 * offered calls. Each is linked to one account of the identity provider ({@link #accountId}): an
 * engineer's requests act as the record linked to their token.
 */
@Entity
@Table(name = "engineer")
public class Engineer extends PanacheEntityBase {

    @Id
    public UUID id;

    /**
     * The engineer's user id at the identity provider: the subject ({@code sub}) of their tokens.
     * Unique (constraint {@code engineer_account_once}); it does not change.
     */
    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    @Column(nullable = false)
    public String name;

    /** Engineers are offered the calls of their own region only. */
    @Column(nullable = false)
    public String region;

    /**
     * The appliance types the engineer repairs. Loaded with the engineer (a page of engineers
     * loads the skills of all of them in one query), since nothing shows an engineer without them.
     */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "engineer_skill", joinColumns = @JoinColumn(name = "engineer_id"))
    @Column(name = "skill", nullable = false)
    @Enumerated(EnumType.STRING)
    @BatchSize(size = 100)
    public Set<ApplianceType> skills = new HashSet<>();

    @Column(nullable = false)
    public boolean active;

    @Column(name = "registered_at", nullable = false)
    public Instant registeredAt;

    @Version
    public long version;

    public static Engineer register(
            String accountId, String name, String region, Collection<ApplianceType> skills, Instant now) {
        Engineer engineer = new Engineer();
        engineer.id = UUID.randomUUID();
        engineer.accountId = accountId;
        engineer.name = name;
        engineer.region = region;
        engineer.skills.addAll(skills);
        engineer.active = true;
        engineer.registeredAt = now;
        return engineer;
    }

    /** The skills in the order of {@link ApplianceType}, for stable answers. */
    public Set<ApplianceType> sortedSkills() {
        return skills.isEmpty() ? EnumSet.noneOf(ApplianceType.class) : EnumSet.copyOf(skills);
    }
}
