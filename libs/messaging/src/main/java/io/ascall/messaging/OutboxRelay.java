package io.ascall.messaging;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Publishes the outbox's events to Kafka, keyed by call id, in the order they were committed,
 * and marks them published. Delivery is at least once: a crash between publishing and marking
 * publishes again, and consumers skip what they have seen; nothing is lost.
 *
 * <p>With several replicas, one relay at a time publishes (a transaction-scoped PostgreSQL
 * advisory lock), so the events of a call never overtake each other. A commit wakes every
 * replica's relay at once through LISTEN/NOTIFY; a slow poll is the safety net for a lost
 * notification (a dropped connection, say). When Kafka is down, the batch is not marked and is
 * sent again on a later round.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Pool pool;
    private final Vertx vertx;
    private final MutinyEmitter<String> events;
    private final MessagingConfig.Relay config;
    private final PgConnectOptions listenerOptions;
    private final Clock clock;
    private final MessagingMetrics metrics;
    /** The advisory lock that makes one replica the publisher. */
    private final long publisherLock;

    private final String wakeUpChannel;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopped;
    private PgSubscriber listener;
    private long poller;

    public OutboxRelay(
            Pool pool,
            Vertx vertx,
            @Channel("outbox") MutinyEmitter<String> events,
            MessagingConfig config,
            Clock clock,
            MessagingMetrics metrics,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String databaseUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.pool = pool;
        this.vertx = vertx;
        this.events = events;
        this.config = config.relay();
        this.clock = clock;
        this.metrics = metrics;
        this.publisherLock = config.publisherLock();
        this.wakeUpChannel = config.wakeUpChannel();
        this.listenerOptions =
                PgConnectOptions.fromUri(databaseUrl).setUser(user).setPassword(password);
    }

    void start(@Observes StartupEvent started) {
        listener = PgSubscriber.subscriber(vertx, listenerOptions).reconnectPolicy(attempts -> 1000L);
        listener.channel(wakeUpChannel).handler(notification -> wakeUp());
        listener.connect()
                .subscribe()
                .with(
                        connected -> wakeUp(),
                        failure ->
                                LOG.warnf("Outbox relay cannot LISTEN yet, polling meanwhile: %s", failure.toString()));
        poller = vertx.setPeriodic(config.pollInterval().toMillis(), tick -> wakeUp());
    }

    void stop(@Observes ShutdownEvent stopping) {
        stopped = true;
        vertx.cancelTimer(poller);
        if (listener != null) {
            listener.closeAndForget();
        }
    }

    /** Publishes what is waiting; a wake-up during a round runs another round after it. */
    void wakeUp() {
        if (stopped) {
            return;
        }
        again.set(true);
        if (!running.compareAndSet(false, true)) {
            return;
        }
        again.set(false);
        publishBatch()
                .subscribe()
                .with(
                        published -> {
                            running.set(false);
                            if (published == config.batchSize() || again.get()) {
                                wakeUp();
                            }
                        },
                        failure -> {
                            running.set(false);
                            LOG.warnf(
                                    "Outbox relay round failed, events stay queued for the next round: %s",
                                    failure.toString());
                        });
    }

    /** @return how many events this round published (0 when another replica holds the publisher lock) */
    Uni<Integer> publishBatch() {
        return pool.withTransaction(connection -> connection
                        .preparedQuery("select pg_try_advisory_xact_lock($1)")
                        .execute(Tuple.of(publisherLock))
                        .chain(locked -> locked.iterator().next().getBoolean(0)
                                ? publishWaiting(connection)
                                : Uni.createFrom().item(List.<String>of())))
                // counted once marked published: a round whose marks roll back publishes them again
                .invoke(types -> types.forEach(metrics::published))
                .map(List::size);
    }

    /** @return the types of the events published, in order */
    private Uni<List<String>> publishWaiting(SqlConnection connection) {
        return connection
                .preparedQuery("""
                select position, call_id, type, event_id, payload from outbox_event
                where published_at is null order by position limit $1""")
                .execute(Tuple.of(config.batchSize()))
                .chain(rows -> {
                    List<Long> positions = new ArrayList<>();
                    List<String> types = new ArrayList<>();
                    List<Uni<Void>> sends = new ArrayList<>();
                    for (Row row : rows) {
                        positions.add(row.getLong("position"));
                        types.add(row.getString("type"));
                        sends.add(send(row));
                    }
                    if (sends.isEmpty()) {
                        return Uni.createFrom().item(types);
                    }
                    // handed to the producer in this order; its idempotence keeps the order per partition
                    return Uni.join()
                            .all(sends)
                            .andFailFast()
                            .chain(() -> connection
                                    .preparedQuery("update outbox_event set published_at = $1 where position = any($2)")
                                    .execute(Tuple.of(
                                            clock.instant().atOffset(ZoneOffset.UTC), positions.toArray(Long[]::new))))
                            .replaceWith(types);
                });
    }

    private Uni<Void> send(Row row) {
        String callId = row.getUUID("call_id").toString();
        RecordHeaders headers = new RecordHeaders();
        headers.add("event-type", row.getString("type").getBytes(UTF_8));
        headers.add("event-id", row.getUUID("event_id").toString().getBytes(UTF_8));
        return events.sendMessage(Message.of(row.getString("payload"))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(callId)
                        .withHeaders(headers)
                        .build()));
    }

    /** Deletes events published longer ago than the retention. */
    public Uni<Integer> deletePublishedBefore(Instant before) {
        return pool.preparedQuery("delete from outbox_event where published_at < $1")
                .execute(Tuple.of(before.atOffset(ZoneOffset.UTC)))
                .map(result -> result.rowCount());
    }
}
