package io.ascall.engineer.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.ascall.engineer.Assignment;
import io.ascall.engineer.AssignmentStatus;
import io.ascall.events.ApplianceType;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Writes many entries to an engineer's feed quickly, through the feed's own code
 * ({@link AssignmentFeed#append}, in transactions of its own), for tests that need volume: a
 * call offered through Kafka takes a round trip per entry. The entries are offers of calls that
 * exist nowhere else; the stream does not care.
 */
final class FeedWriter {

    private final AssignmentFeed feed;

    FeedWriter(AssignmentFeed feed) {
        this.feed = feed;
    }

    /** Appends {@code count} offers to the engineer's feed, {@code perTransaction} in each transaction. */
    void offers(UUID engineerId, int count, int perTransaction) {
        for (int written = 0; written < count; written += perTransaction) {
            int inThisOne = Math.min(perTransaction, count - written);
            try {
                VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (int i = 0; i < inThisOne; i++) {
                        chain = chain.chain(() -> feed.append(offer(engineerId)));
                    }
                    return chain;
                }));
            } catch (Throwable e) {
                throw new IllegalStateException("Cannot write to the feed", e);
            }
        }
    }

    private static Assignment offer(UUID engineerId) {
        Assignment assignment = new Assignment();
        Instant now = Instant.now();
        assignment.id = UUID.randomUUID();
        assignment.callId = UUID.randomUUID();
        assignment.engineerId = engineerId;
        assignment.engineerName = "Feed";
        assignment.status = AssignmentStatus.OFFERED;
        assignment.applianceType = ApplianceType.WASHER;
        assignment.region = "feed-test";
        assignment.address = "1 Sejong-daero, Jung-gu: an address long enough to make each event a few hundred bytes";
        assignment.offeredAt = now;
        assignment.expiresAt = now.plus(Duration.ofMinutes(2));
        return assignment;
    }
}
