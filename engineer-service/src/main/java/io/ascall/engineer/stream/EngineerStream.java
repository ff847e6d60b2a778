package io.ascall.engineer.stream;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.util.RawValue;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/**
 * One client's open stream of one engineer's feed: the entries after the client's position, read
 * from the database, then each new entry as it is committed.
 *
 * <p><b>From replay to live without a gap or a duplicate.</b> The stream is registered for
 * wake-ups before it reads anything; from then on every committed entry wakes it. Every read asks
 * the database for the entries after the last one this stream queued ({@link #after}), and only
 * one read runs at a time (a wake-up during a read runs another read after it). So an entry
 * committed while the replay runs is either in the replay's result or read by the next read,
 * never twice and never missed; there is no separate "live" path that could overlap the replay.
 *
 * <p><b>A bounded buffer.</b> The HTTP layer asks for the next event only once the previous one is
 * written to the connection; what it has not asked for yet waits here, counted in
 * {@link #backlog}. A read asks the database for no more entries than the buffer has room for:
 * when it is full, the rest waits in the database until the client has read half of it. A client
 * that takes nothing for two heartbeat periods while events wait has stopped reading: its
 * connection is closed ({@link #cutOff}), and when it reconnects it is sent what it missed, from
 * the database. One stream never holds more than {@code engineer.stream.buffer} events.
 *
 * <p><b>Threads.</b> The state below is touched only on the connection's Vert.x context (every
 * entry point hops onto it), so it needs no locks; what other threads read is volatile or atomic.
 */
final class EngineerStream {

    private static final Logger LOG = Logger.getLogger(EngineerStream.class);
    private static final String OPENED = "stream-opened";
    private static final String HEARTBEAT = "keep-alive";
    /** Heartbeat ticks without progress, while events wait, after which a client is cut off. */
    private static final int STALLED_TICKS = 2;

    final UUID engineerId;
    private final EngineerStreams streams;
    private final AssignmentFeed feed;
    private final Sse sse;
    private final HttpServerRequest request;
    private final int capacity;

    /** Events emitted that the HTTP layer has not taken yet: what a slow client makes this stream hold. */
    private final AtomicInteger backlog = new AtomicInteger();
    /** The number of the last entry queued for the client; -1 until the stream has its position. */
    private volatile long after = -1;
    /** Whether anything was sent since the last heartbeat tick. */
    private volatile boolean sentSinceTick;
    /** Whether the HTTP layer took an event since the last heartbeat tick. */
    private volatile boolean takenSinceTick;
    /** A read found the buffer full: the next one waits for the client to read half of it. */
    private volatile boolean waitingForRoom;

    private volatile Context context;
    private MultiEmitter<? super OutboundSseEvent> emitter;
    private boolean reading;
    private boolean readAgain;
    private boolean closed;
    private int stalledTicks;

    EngineerStream(
            UUID engineerId,
            EngineerStreams streams,
            AssignmentFeed feed,
            Sse sse,
            HttpServerRequest request,
            int capacity) {
        this.engineerId = engineerId;
        this.streams = streams;
        this.feed = feed;
        this.sse = sse;
        this.request = request;
        this.capacity = capacity;
    }

    /**
     * The events of the stream, for the HTTP layer to subscribe to: first {@code stream-opened}
     * with the position the stream starts after, then the engineer's entries after it.
     *
     * @param resumeAfter the last entry the client saw (Last-Event-ID), or null for a new client,
     *                    which starts after the engineer's latest entry
     */
    Multi<OutboundSseEvent> events(Long resumeAfter) {
        return Multi.createFrom()
                .<OutboundSseEvent>emitter(
                        emitter -> {
                            // subscribed to once the response's head is written, on the connection's own context
                            this.context = Vertx.currentContext();
                            this.emitter = emitter;
                            emitter.onTermination(() -> onContext(this::terminated));
                            // registered before anything is read: every entry committed from now on wakes this stream
                            streams.register(this);
                            onContext(() -> start(resumeAfter));
                        },
                        BackPressureStrategy.BUFFER)
                .onItem()
                .invoke(this::taken);
    }

    /** An entry up to {@code seq} was committed for the engineer. */
    void wake(long seq) {
        if (seq > after) {
            onContext(this::read);
        }
    }

    /** The heartbeat tick (every {@code engineer.stream.heartbeat}). */
    void tick() {
        onContext(this::ticked);
    }

    /** Ends the stream cleanly (the service is stopping): the client reconnects, to another replica. */
    void close() {
        onContext(() -> {
            if (closed) {
                return;
            }
            closed = true;
            if (backlog.get() > 0) {
                // the client is behind: its last events would hold the shutdown up; it resumes anyway
                disconnect();
            } else {
                emitter.complete();
            }
        });
    }

    /**
     * An idle stream gets a comment line. A client that took nothing for {@link #STALLED_TICKS}
     * ticks in a row while events wait for it has stopped reading, and is cut off.
     */
    private void ticked() {
        if (closed || after < 0) {
            return;
        }
        if (backlog.get() > 0) {
            stalledTicks = takenSinceTick ? 0 : stalledTicks + 1;
            if (stalledTicks >= STALLED_TICKS) {
                cutOff();
                return;
            }
        } else {
            stalledTicks = 0;
            // not while a read is on its way: its entries must find the room it was sized for
            if (!sentSinceTick && !reading) {
                emit(sse.newEventBuilder().comment(HEARTBEAT).build());
            }
        }
        sentSinceTick = false;
        takenSinceTick = false;
    }

    private void start(Long resumeAfter) {
        feed.head(engineerId)
                .subscribe()
                .with(
                        head -> onContext(() -> opened(head, resumeAfter)),
                        failure -> onContext(() -> {
                            LOG.warnf(
                                    "Engineer %s: stream not opened, the feed cannot be read (%s); the client reconnects",
                                    engineerId, failure.toString());
                            closed = true;
                            emitter.complete();
                        }));
    }

    private void opened(long head, Long resumeAfter) {
        if (closed) {
            return;
        }
        // a position beyond the latest entry is not one this feed gave (a database restored, say): start at the latest
        after = resumeAfter == null ? head : Math.min(resumeAfter, head);
        emit(sse.newEventBuilder()
                .name(OPENED)
                .id(Long.toString(after))
                .data(
                        RawValue.class,
                        new RawValue("{\"engineerId\":\"" + engineerId + "\",\"lastEventId\":" + after + "}"))
                .build());
        read();
    }

    /** Reads what is new, as much as the buffer has room for; the only place that queues entries. */
    private void read() {
        if (closed || after < 0) {
            return;
        }
        if (reading) {
            readAgain = true;
            return;
        }
        int room = capacity - backlog.get();
        if (room <= 0) {
            // the rest waits in the database until the client has read half of its buffer
            waitingForRoom = true;
            return;
        }
        reading = true;
        readAgain = false;
        feed.after(engineerId, after, room)
                .subscribe()
                .with(
                        entries -> onContext(() -> received(entries, room)),
                        failure -> onContext(() -> {
                            reading = false;
                            // nothing is lost: the heartbeat tick compares this stream with the feed's head and wakes
                            // it
                            LOG.warnf(
                                    "Engineer %s: stream cannot read the feed now, tries again (%s)",
                                    engineerId, failure.toString());
                        }));
    }

    private void received(List<AssignmentFeed.Entry> entries, int limit) {
        reading = false;
        if (closed) {
            return;
        }
        for (AssignmentFeed.Entry entry : entries) {
            emit(sse.newEventBuilder()
                    .id(Long.toString(entry.seq()))
                    .name(entry.event())
                    .data(RawValue.class, new RawValue(entry.payload()))
                    .build());
            after = entry.seq();
        }
        // a full page: there may be more
        if (readAgain || entries.size() == limit) {
            read();
        }
    }

    private void emit(OutboundSseEvent event) {
        streams.backlogReached(backlog.incrementAndGet());
        sentSinceTick = true;
        emitter.emit(event);
    }

    /** The HTTP layer took an event (it asks for the next one once this one is written). */
    private void taken(OutboundSseEvent event) {
        takenSinceTick = true;
        int left = backlog.decrementAndGet();
        if (waitingForRoom && left <= capacity / 2) {
            waitingForRoom = false;
            onContext(this::read);
        }
    }

    /** The client stopped reading: close the connection; it resumes from the database when it reconnects. */
    private void cutOff() {
        closed = true;
        streams.cutOff(this, backlog.get());
        disconnect();
    }

    /**
     * Closes the client's connection at once, dropping what is queued for it; the HTTP layer then
     * cancels the subscription. HTTP/2 resets just this stream, not the connection's other
     * requests. HTTP/1.1 has no such reset, and every way Vert.x offers to close a connection first
     * flushes what is queued, which a client that stopped reading never lets through: the close is
     * sent from Vert.x's own place in the connection's pipeline, as its idle timeout does, which
     * closes the socket straight away (Vert.x's connection class is internal, hence the check).
     */
    private void disconnect() {
        if (request.version() != HttpVersion.HTTP_2 && request.connection() instanceof ConnectionBase connection) {
            connection.channelHandlerContext().close();
        } else {
            request.response().reset();
        }
    }

    private void terminated() {
        closed = true;
        streams.unregister(this);
    }

    private void onContext(Runnable action) {
        context.runOnContext(ignored -> action.run());
    }
}
