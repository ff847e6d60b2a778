package io.ascall.engineer.saga;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.ascall.engineer.config.EngineerConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Gives an offer nobody answered in time to the next engineer ({@link DispatchSaga#expireOffer}).
 * Each call is expired in a transaction of its own, so one failing call does not hold back the
 * others; several replicas may run this at once, the row lock with {@code SKIP LOCKED} makes sure
 * that only one of them expires a given offer.
 */
@ApplicationScoped
public class OfferExpiry {

    private static final Logger LOG = Logger.getLogger(OfferExpiry.class);

    private final DispatchSaga saga;
    private final EngineerConfig.Offer config;
    private final Clock clock;

    public OfferExpiry(DispatchSaga saga, EngineerConfig config, Clock clock) {
        this.saga = saga;
        this.config = config.offer();
        this.clock = clock;
    }

    @Scheduled(
            every = "${engineer.offer.expiry-check}",
            delayed = "${engineer.offer.expiry-check}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expireOffers() {
        return Panache.withSession(this::callsWithExpiredOffers)
                .chain(this::expireEach)
                .onFailure()
                .invoke(e -> LOG.warnf("Offer expiry round failed, the next round retries: %s", e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<List<UUID>> callsWithExpiredOffers() {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                select call_id from assignment
                where status = 'OFFERED' and expires_at <= ?1
                order by expires_at
                limit ?2""", UUID.class)
                        .setParameter(1, clock.instant())
                        .setParameter(2, config.expiryBatch())
                        .getResultList());
    }

    private Uni<Void> expireEach(List<UUID> callIds) {
        return Multi.createFrom()
                .iterable(callIds)
                .onItem()
                .transformToUniAndConcatenate(callId -> Panache.withTransaction(() -> saga.expireOffer(callId))
                        .onFailure()
                        .invoke(e -> LOG.warnf("Call %s: offer not expired this round (%s)", callId, e.toString()))
                        .onFailure()
                        .recoverWithNull())
                .collect()
                .last()
                .replaceWithVoid();
    }
}
