package io.ascall.engineer.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;

import io.ascall.engineer.config.EngineerConfig;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/**
 * The engineers' streams open on this instance, by engineer: what {@link FeedListener} wakes when
 * an entry is committed (on any replica), and what one shared timer visits for heartbeats. A
 * stream costs no thread, no database connection and no timer of its own while it is idle.
 */
@ApplicationScoped
public class EngineerStreams {

    private static final Logger LOG = Logger.getLogger(EngineerStreams.class);
    /** Engineers per query when comparing the streams with the feed's heads. */
    private static final int HEADS_PER_QUERY = 1000;

    private final Map<UUID, Set<EngineerStream>> byEngineer = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder cutOff = new LongAdder();
    private final AtomicInteger largestBacklog = new AtomicInteger();
    private final AssignmentFeed feed;
    private final Vertx vertx;
    private final EngineerConfig.Stream config;
    private volatile boolean stopping;
    private long ticker = -1;

    public EngineerStreams(AssignmentFeed feed, Vertx vertx, EngineerConfig config) {
        this.feed = feed;
        this.vertx = vertx;
        this.config = config.stream();
    }

    void start(@Observes StartupEvent started) {
        ticker = vertx.setPeriodic(config.heartbeat().toMillis(), tick -> tick());
    }

    /**
     * Opens a stream of the engineer's feed for one client (the engineer is known: checked before
     * the response started).
     *
     * @param resumeAfter the last id the client saw, or null for a new client
     */
    public Multi<OutboundSseEvent> open(UUID engineerId, Long resumeAfter, Sse sse, HttpServerRequest request) {
        if (stopping) {
            // an empty stream: the client reconnects after its retry delay, to a replica that is not stopping
            return Multi.createFrom().empty();
        }
        return new EngineerStream(engineerId, this, feed, sse, request, config.buffer()).events(resumeAfter);
    }

    /**
     * Whether a stream can be opened for the engineer: one this service knows, linked to this
     * account (the token's subject), or any engineer for a null account (an operator's stream).
     */
    public Uni<Boolean> mayFollow(UUID engineerId, String account) {
        return feed.engineerOf(engineerId, account);
    }

    /** An entry up to number {@code seq} was committed to the engineer's feed. */
    void committed(UUID engineerId, long seq) {
        Set<EngineerStream> streams = byEngineer.get(engineerId);
        if (streams != null) {
            streams.forEach(stream -> stream.wake(seq));
        }
    }

    /**
     * Wakes every stream behind its engineer's latest entry: after the listener (re)connected, when
     * notifications may have been missed, and on every heartbeat tick as a safety net.
     */
    void catchUp() {
        List<UUID> engineers = new ArrayList<>(byEngineer.keySet());
        for (int from = 0; from < engineers.size(); from += HEADS_PER_QUERY) {
            List<UUID> chunk = engineers.subList(from, Math.min(from + HEADS_PER_QUERY, engineers.size()));
            feed.heads(chunk)
                    .subscribe()
                    .with(
                            heads -> heads.forEach(this::committed),
                            failure ->
                                    LOG.debugf("Streams not compared with the feed this time: %s", failure.toString()));
        }
    }

    /** Open streams, on this instance, of one engineer. */
    public int openStreams(UUID engineerId) {
        Set<EngineerStream> streams = byEngineer.get(engineerId);
        return streams == null ? 0 : streams.size();
    }

    /** How this instance's streams have fared since it started. */
    public Figures figures() {
        return new Figures(open.get(), cutOff.sum(), largestBacklog.get(), config.buffer());
    }

    void register(EngineerStream stream) {
        byEngineer.compute(stream.engineerId, (engineer, streams) -> {
            Set<EngineerStream> set = streams != null ? streams : ConcurrentHashMap.newKeySet();
            if (set.add(stream)) {
                open.incrementAndGet();
            }
            return set;
        });
    }

    void unregister(EngineerStream stream) {
        byEngineer.computeIfPresent(stream.engineerId, (engineer, streams) -> {
            if (streams.remove(stream)) {
                open.decrementAndGet();
            }
            return streams.isEmpty() ? null : streams;
        });
    }

    void backlogReached(int backlog) {
        largestBacklog.accumulateAndGet(backlog, Math::max);
    }

    void cutOff(EngineerStream stream, int backlog) {
        cutOff.increment();
        LOG.infof(
                "Engineer %s: a stream was cut off, its client stopped reading (%d events waiting, buffer %d); "
                        + "it is sent what it missed when it reconnects",
                stream.engineerId, backlog, config.buffer());
    }

    /**
     * The service is about to stop (readiness is down, the load balancer stops sending new
     * requests): every stream ends cleanly now, so that its client reconnects to another replica,
     * and new ones end at once. Without it the graceful shutdown would wait its whole timeout for
     * streams that never end by themselves.
     */
    void stopping(@Observes ShutdownDelayInitiatedEvent stopping) {
        closeAll();
    }

    void stop(@Observes ShutdownEvent stop) {
        if (ticker >= 0) {
            vertx.cancelTimer(ticker);
        }
        closeAll();
    }

    private void closeAll() {
        stopping = true;
        Figures figures = figures();
        if (figures.open() > 0) {
            LOG.infof(
                    "Closing %d engineer streams (since start: %d clients cut off, largest backlog %d of %d)",
                    figures.open(), figures.cutOff(), figures.largestBacklog(), figures.buffer());
        }
        byEngineer.values().forEach(streams -> streams.forEach(EngineerStream::close));
    }

    private void tick() {
        byEngineer.values().forEach(streams -> streams.forEach(EngineerStream::tick));
        catchUp();
    }

    /**
     * @param open           streams open now
     * @param cutOff         clients cut off for not reading, since start
     * @param largestBacklog the most events one stream ever held for its client (never more than {@code buffer})
     * @param buffer         {@code engineer.stream.buffer}
     */
    public record Figures(int open, long cutOff, int largestBacklog, int buffer) {}
}
