package io.ascall.call.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.call.config.CallConfig;
import io.ascall.messaging.AfterCommit;
import io.ascall.messaging.PeriodicMeasurement;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * What call-service tells operators about calls (besides the messaging library's metrics):
 * <ul>
 * <li>{@code ascall_call_transitions_total{from,to}}: status changes, counted once their
 * transaction committed ({@code from="none"} for a new call);</li>
 * <li>{@code ascall_call_dispatch_seconds}: from the customer's request to an engineer's
 * acceptance (DISPATCHED), a histogram;</li>
 * <li>{@code ascall_calls{status}} and {@code ascall_calls_oldest_age_seconds{status}}: the calls in
 * each unfinished status now, and how long the longest-waiting one has been in it: a call stuck in
 * a step. Read from the database every {@code call.metrics.refresh} (an index scan per status), so
 * every replica reports the same value: take the maximum, not the sum;</li>
 * <li>{@code ascall_circuit_breaker_state{breaker,state}}: 1 for the state the breaker in front of
 * payment-service is in, 0 for the others.</li>
 * </ul>
 * Labels are statuses and states only: never a call's or a customer's id.
 */
@ApplicationScoped
public class CallMetrics {

    /** The breaker's name on {@code FeeCollector.collect}. */
    static final String PAYMENT_BREAKER = "payment-charge";

    private static final Set<CallStatus> UNFINISHED = EnumSet.complementOf(EnumSet.copyOf(CallStatus.finals()));

    private static final double[] NONE = {0, 0};

    private final MeterRegistry registry;
    private final Pool pool;
    private final Vertx vertx;
    private final Clock clock;
    private final CircuitBreakerMaintenance breakers;
    private final Duration refresh;
    private final Map<String, Counter> transitions = new ConcurrentHashMap<>();
    private final Timer dispatch;
    private final PeriodicMeasurement<Map<CallStatus, double[]>> measurement;
    /** Per unfinished status: how many calls, and the oldest one's age in seconds (replaced whole by each round). */
    private final AtomicReference<Map<CallStatus, double[]>> latest = new AtomicReference<>(Map.of());

    public CallMetrics(
            MeterRegistry registry,
            Pool pool,
            Vertx vertx,
            Clock clock,
            CircuitBreakerMaintenance breakers,
            CallConfig config) {
        this.registry = registry;
        this.pool = pool;
        this.vertx = vertx;
        this.clock = clock;
        this.breakers = breakers;
        this.refresh = config.metrics().refresh();
        this.dispatch = Timer.builder("ascall.call.dispatch")
                .description("From the customer's request to an engineer's acceptance of the call")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(1))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
        this.measurement = new PeriodicMeasurement<>("the calls per status", this::read, latest::set);
    }

    void start(@Observes StartupEvent started) {
        for (CallStatus status : UNFINISHED) {
            String label = status.name();
            Gauge.builder("ascall.calls", latest, l -> l.get().getOrDefault(status, NONE)[0])
                    .description("Calls in the status now (unfinished statuses only)")
                    .tag("status", label)
                    .register(registry);
            Gauge.builder("ascall.calls.oldest.age", latest, l -> l.get().getOrDefault(status, NONE)[1])
                    .description("How long the call longest in the status has been in it (0 when none)")
                    .baseUnit("seconds")
                    .tag("status", label)
                    .register(registry);
        }
        for (CircuitBreakerState state : CircuitBreakerState.values()) {
            Gauge.builder(
                            "ascall.circuit.breaker.state",
                            breakers,
                            b -> b.currentState(PAYMENT_BREAKER) == state ? 1 : 0)
                    .description("1 for the state the breaker is in, 0 for the others")
                    .tag("breaker", PAYMENT_BREAKER)
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        measurement.start(vertx, refresh);
    }

    void stop(@Observes ShutdownEvent stopping) {
        measurement.stop();
    }

    /**
     * The call moved from {@code from} (null for a new call) to its current status in the current
     * transaction ({@link AfterCommit#transaction}); counted once it commits.
     */
    public void transitioned(Call call, CallStatus from) {
        CallStatus to = call.status;
        Duration sinceRequest = Duration.between(call.createdAt, call.statusChangedAt);
        AfterCommit.run(() -> {
            transitions
                    .computeIfAbsent(
                            (from == null ? "none" : from.name()) + '>' + to.name(),
                            key -> Counter.builder("ascall.call.transitions")
                                    .description("Calls that moved from one status to another")
                                    .tag("from", from == null ? "none" : from.name())
                                    .tag("to", to.name())
                                    .register(registry))
                    .increment();
            if (to == CallStatus.DISPATCHED) {
                dispatch.record(sinceRequest);
            }
        });
    }

    /** Per unfinished status: how many calls, and since when the oldest has been in it, in seconds. */
    private Uni<Map<CallStatus, double[]>> read() {
        return pool.preparedQuery("""
                        select status, count(*), min(status_changed_at) from repair_call
                        where status = any($1) group by status""")
                .execute(Tuple.of(UNFINISHED.stream().map(Enum::name).toArray(String[]::new)))
                .map(rows -> {
                    Instant at = clock.instant();
                    Map<CallStatus, double[]> read = new EnumMap<>(CallStatus.class);
                    for (Row row : rows) {
                        read.put(CallStatus.valueOf(row.getString(0)), new double[] {
                            row.getLong(1),
                            PeriodicMeasurement.secondsSince(
                                    row.getOffsetDateTime(2).toInstant(), at)
                        });
                    }
                    return read;
                });
    }
}
