package io.ascall.engineer.saga;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import io.ascall.engineer.Dispatch;
import io.ascall.engineer.Engineer;
import io.ascall.engineer.config.EngineerConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Chooses whom a call is offered to next: an active engineer of the call's region who repairs its
 * appliance and has not been offered this call yet; of those, the one with the fewest open
 * assignments (offered or accepted), then the fewest assignments today, then the lowest id, so
 * that the choice is the same on every replica. Runs inside the caller's transaction.
 */
@ApplicationScoped
public class EngineerMatcher {

    /**
     * The open count reads the partial index assignment_open_by_engineer, today's count a range of
     * assignment_engineer: neither reads an engineer's finished assignments of earlier days
     * (MatchingCostTest). Its columns are named, not {@code e.*}: see {@link Dispatch#COLUMNS}.
     */
    static final String BEST_CANDIDATE = """
            select e.id, e.account_id, e.name, e.region, e.active, e.registered_at, e.version from engineer e
            where e.active
              and e.region = ?1
              and exists (select 1 from engineer_skill s where s.engineer_id = e.id and s.skill = ?2)
              and not exists (select 1 from assignment a where a.call_id = ?3 and a.engineer_id = e.id)
            order by
              (select count(*) from assignment a where a.engineer_id = e.id and a.status in ('OFFERED', 'ACCEPTED')),
              (select count(*) from assignment a where a.engineer_id = e.id and a.offered_at >= ?4),
              e.id
            limit 1""";

    private final ZoneId workdayZone;
    private final Clock clock;

    public EngineerMatcher(EngineerConfig config, Clock clock) {
        this.workdayZone = config.workdayZone();
        this.clock = clock;
    }

    /** The engineer to offer the call to now, or null when nobody is left. */
    public Uni<Engineer> bestFor(Dispatch call) {
        Instant startOfDay = LocalDate.now(clock.withZone(workdayZone))
                .atStartOfDay(workdayZone)
                .toInstant();
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(BEST_CANDIDATE, Engineer.class)
                        .setParameter(1, call.region)
                        .setParameter(2, call.applianceType.name())
                        .setParameter(3, call.callId)
                        .setParameter(4, startOfDay)
                        .getSingleResultOrNull());
    }
}
