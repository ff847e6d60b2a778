package io.ascall.engineer.stream;

import java.time.Clock;

import org.jboss.logging.Logger;

import io.ascall.engineer.config.EngineerConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Deletes the entries of the engineers' feeds past {@code engineer.stream.retention}. */
@ApplicationScoped
public class FeedHousekeeping {

    private static final Logger LOG = Logger.getLogger(FeedHousekeeping.class);

    private final AssignmentFeed feed;
    private final EngineerConfig.Stream config;
    private final Clock clock;

    public FeedHousekeeping(AssignmentFeed feed, EngineerConfig config, Clock clock) {
        this.feed = feed;
        this.config = config.stream();
        this.clock = clock;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deleteOld() {
        return feed.deleteBefore(clock.instant().minus(config.retention()))
                .invoke(deleted -> LOG.debugf("Deleted %d feed entries past their retention", deleted))
                .onFailure()
                .invoke(e -> LOG.warnf("Feed housekeeping failed, next round retries: %s", e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
