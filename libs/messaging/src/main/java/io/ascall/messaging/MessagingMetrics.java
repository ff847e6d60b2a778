package io.ascall.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.ascall.events.UnreadableEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The messaging library's metrics, the same in every service that uses it:
 * <ul>
 * <li>{@code ascall_outbox_backlog}, {@code ascall_outbox_oldest_age_seconds}: events committed and
 * not yet published, and how long the oldest has waited (0 when none): a relay that cannot reach
 * Kafka, or falls behind;</li>
 * <li>{@code ascall_inbox_parked}, {@code ascall_inbox_parked_oldest_age_seconds}: events that came
 * before an earlier one of their source and wait for it;</li>
 * <li>{@code ascall_events_published_total{type}}: events the relay published, counted once the
 * relay's transaction marked them published (a crash in between publishes and counts them again);</li>
 * <li>{@code ascall_events_dead_lettered_total{topic,reason}}: events sent to the dead-letter topic,
 * by why: {@code unreadable} (not an event of the topic), {@code refused} (its step can never apply
 * it), {@code gave_up} (it failed {@code messaging.inbox.max-attempts} times), {@code failed} (anything
 * else, which the log explains).</li>
 * </ul>
 * The gauges are read from the service's database every {@code messaging.metrics.refresh} (two
 * index scans), so every replica reports the same value: dashboards and alerts take their maximum.
 */
@ApplicationScoped
public class MessagingMetrics {

    /** Why an event went to the dead-letter topic; a bounded label. */
    public enum DeadLetterReason {
        UNREADABLE,
        REFUSED,
        GAVE_UP,
        /** Anything else that ended a record's part (a bug: the log says what). */
        FAILED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static DeadLetterReason of(Throwable reason) {
            if (reason instanceof UnreadableEvent) {
                return UNREADABLE;
            }
            if (reason instanceof GaveUp) {
                return GAVE_UP;
            }
            return reason instanceof InapplicableEvent ? REFUSED : FAILED;
        }
    }

    private final MeterRegistry registry;
    private final Pool pool;
    private final Vertx vertx;
    private final Clock clock;
    private final Duration refresh;
    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final PeriodicMeasurement<Row> measurement;

    private volatile double backlog;
    private volatile double oldestUnpublishedAge;
    private volatile double parked;
    private volatile double oldestParkedAge;

    public MessagingMetrics(MeterRegistry registry, Pool pool, Vertx vertx, Clock clock, MessagingConfig config) {
        this.registry = registry;
        this.pool = pool;
        this.vertx = vertx;
        this.clock = clock;
        this.refresh = config.metrics().refresh();
        this.measurement = new PeriodicMeasurement<>("the outbox and the parked events", this::read, this::keep);
    }

    void start(@Observes StartupEvent started) {
        Gauge.builder("ascall.outbox.backlog", this, metrics -> metrics.backlog)
                .description("Events committed and not yet published to Kafka")
                .register(registry);
        Gauge.builder("ascall.outbox.oldest.age", this, metrics -> metrics.oldestUnpublishedAge)
                .description("How long the oldest unpublished event has waited (0 when none)")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("ascall.inbox.parked", this, metrics -> metrics.parked)
                .description("Received events waiting for an earlier event of their source")
                .register(registry);
        Gauge.builder("ascall.inbox.parked.oldest.age", this, metrics -> metrics.oldestParkedAge)
                .description("How long the oldest parked event has waited (0 when none)")
                .baseUnit("seconds")
                .register(registry);
        measurement.start(vertx, refresh);
    }

    void stop(@Observes ShutdownEvent stopping) {
        measurement.stop();
    }

    /** The relay published these events (its transaction committed). */
    void published(String type) {
        published
                .computeIfAbsent(
                        type,
                        t -> Counter.builder("ascall.events.published")
                                .description("Events the outbox relay published")
                                .tag("type", t)
                                .register(registry))
                .increment();
    }

    /** An event went to the dead-letter topic. */
    void deadLettered(String topic, Throwable reason) {
        DeadLetterReason why = DeadLetterReason.of(reason);
        deadLettered
                .computeIfAbsent(
                        topic + '\n' + why,
                        key -> Counter.builder("ascall.events.dead.lettered")
                                .description("Events sent to the dead-letter topic, by topic and reason")
                                .tag("topic", topic)
                                .tag("reason", why.label())
                                .register(registry))
                .increment();
    }

    private Uni<Row> read() {
        return pool.query("""
                        select (select count(*) from outbox_event where published_at is null),
                               (select min(occurred_at) from outbox_event where published_at is null),
                               (select count(*) from deferred_event),
                               (select min(received_at) from deferred_event)""").execute().map(rows -> rows.iterator().next());
    }

    private void keep(Row row) {
        Instant now = clock.instant();
        backlog = row.getLong(0);
        oldestUnpublishedAge = secondsSince(row.getOffsetDateTime(1), now);
        parked = row.getLong(2);
        oldestParkedAge = secondsSince(row.getOffsetDateTime(3), now);
    }

    private static double secondsSince(OffsetDateTime since, Instant now) {
        return PeriodicMeasurement.secondsSince(since == null ? null : since.toInstant(), now);
    }
}
