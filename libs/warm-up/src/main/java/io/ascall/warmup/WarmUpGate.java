package io.ascall.warmup;

import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.quarkus.arc.All;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Keeps the service unready until its hot paths are warm. Without it a new instance (a
 * scale-out, a rolling update, a Knative revision) takes requests the moment it is up, and its
 * first ones load Hibernate's and the REST layer's classes on the event loop: seconds on a busy
 * node, during which every request of that loop waits, and a caller's timeout may give up.
 *
 * <p>The rehearsals ({@link WarmUp}) run in rounds at start-up, on a Vert.x context, one
 * after the other, for {@link WarmUpConfig#rounds()} rounds or until {@link WarmUpConfig#budget()}
 * is spent. A failing rehearsal (the database not reachable yet, say) is logged and ends the
 * warm-up: the other readiness checks say whether the service can serve, not this one.
 */
@Readiness
@ApplicationScoped
public class WarmUpGate implements HealthCheck {

    static final String NAME = "warm-up";
    private static final Logger LOG = Logger.getLogger(WarmUpGate.class);
    /** How long past the budget a round in progress may take before the warm-up gives up on it. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final List<WarmUp> rehearsals;
    private final WarmUpConfig config;
    private volatile boolean warm;
    private volatile int roundsDone;
    private volatile long tookMillis;
    private volatile String failure;

    public WarmUpGate(@All List<WarmUp> rehearsals, WarmUpConfig config) {
        this.rehearsals = rehearsals;
        this.config = config;
    }

    /**
     * Runs on the main thread at start-up, never on an event loop: waiting here delays only the
     * end of the start (Quarkus, and a test, go on when it returns), while the instance reports
     * unready. Observed last (the highest priority number), so that the start-up work of
     * everything else (the outbox relay's LISTEN, say) is not held up by it.
     */
    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER + 1000) StartupEvent started) {
        if (rehearsals.isEmpty() || config.rounds() <= 0) {
            warm = true;
            return;
        }
        long begin = System.nanoTime();
        long deadline = begin + config.budget().toNanos();
        try {
            VertxContextSupport.subscribeAndAwait(() -> rounds(0, deadline)
                    // a rehearsal that hangs (a database that does not answer) does not hold the start up
                    .ifNoItem()
                    .after(config.budget().plus(GRACE))
                    .fail());
            done(begin, null);
        } catch (Throwable failure) {
            done(begin, failure);
        }
    }

    /** The rounds from {@code done} on, each rehearsing every path once, until enough or the budget is spent. */
    private Uni<Void> rounds(int done, long deadline) {
        if (done >= config.rounds() || System.nanoTime() >= deadline) {
            return Uni.createFrom().voidItem();
        }
        return rehearseAll().invoke(() -> roundsDone = done + 1).chain(() -> rounds(done + 1, deadline));
    }

    /** Every rehearsal once, one after the other (public for the tests that prove they change nothing). */
    public Uni<Void> rehearseAll() {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (WarmUp rehearsal : rehearsals) {
            all = all.chain(() -> rehearsal
                    .rehearse()
                    .onFailure()
                    .transform(failure -> new IllegalStateException(
                            "rehearsing " + rehearsal.name() + " failed: " + failure, failure)));
        }
        return all;
    }

    private void done(long begin, Throwable failure) {
        tookMillis = Duration.ofNanos(System.nanoTime() - begin).toMillis();
        warm = true;
        if (failure != null) {
            this.failure = failure.getMessage();
            LOG.warnf(
                    "Warm-up stopped after %d rounds (%d ms), ready anyway: %s",
                    roundsDone, tookMillis, failure.getMessage());
        } else {
            LOG.infof("Warmed up: %d rounds of %s in %d ms", roundsDone, names(), tookMillis);
        }
    }

    private List<String> names() {
        return rehearsals.stream().map(WarmUp::name).toList();
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME)
                .status(warm)
                .withData("rounds", roundsDone)
                .withData("millis", tookMillis);
        if (failure != null) {
            response.withData("failure", failure);
        }
        return response.build();
    }
}
