package io.ascall.messaging;

import java.time.Clock;
import java.time.Instant;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Deletes published outbox events and received event ids past their retention. */
@ApplicationScoped
public class MessagingHousekeeping {

    private static final Logger LOG = Logger.getLogger(MessagingHousekeeping.class);

    private final OutboxRelay relay;
    private final Inbox inbox;
    private final MessagingConfig config;
    private final Clock clock;

    public MessagingHousekeeping(OutboxRelay relay, Inbox inbox, MessagingConfig config, Clock clock) {
        this.relay = relay;
        this.inbox = inbox;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deleteOld() {
        Instant now = clock.instant();
        return relay.deletePublishedBefore(now.minus(config.relay().retention()))
                .chain(published -> inbox.forgetReceivedBefore(
                                now.minus(config.inbox().retention()))
                        .invoke(received ->
                                LOG.debugf("Deleted %d published and %d received events", published, received)))
                .onFailure()
                .invoke(e -> LOG.warnf("Messaging housekeeping failed, next round retries: %s", e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
