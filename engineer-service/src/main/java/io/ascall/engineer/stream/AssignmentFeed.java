package io.ascall.engineer.stream;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ascall.engineer.Assignment;
import io.ascall.engineer.rest.AssignmentResponse;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Each engineer's feed of assignment changes (table {@code engineer_feed}): written in the
 * transaction of the change, read by the engineers' streams.
 *
 * <p>Entries are numbered 1, 2, 3... per engineer. The number comes from the engineer's row in
 * {@code engineer_feed_head}, locked until commit, so an engineer's entries commit in the order
 * of their numbers and a reader never sees number n before n - 1. The commit also sends
 * {@code NOTIFY engineer_feed, '<engineer id>:<number>'}, which wakes the streams of every replica.
 */
@ApplicationScoped
public class AssignmentFeed {

    /** The PostgreSQL channel on which a committed entry wakes the streams of every replica. */
    static final String CHANNEL = "engineer_feed";

    /**
     * Numbers the entry, writes it and notifies, in one statement. The payload is bound as text and
     * cast: bound straight to a json parameter, the driver would store the Java string as a JSON
     * string.
     */
    private static final String APPEND = """
            with head as (
                insert into engineer_feed_head as h (engineer_id, last_seq) values (?1, 1)
                on conflict (engineer_id) do update set last_seq = h.last_seq + 1
                returning last_seq),
            entry as (
                insert into engineer_feed (engineer_id, seq, event, payload, at)
                select ?1, last_seq, ?2, cast(cast(?3 as text) as json), ?4 from head
                returning engineer_id, seq)
            select entry.seq from entry
            cross join lateral pg_notify('%s', entry.engineer_id || ':' || entry.seq) as notified""".formatted(CHANNEL);

    private final ObjectMapper json;
    private final Pool pool;
    private final Clock clock;

    public AssignmentFeed(ObjectMapper json, Pool pool, Clock clock) {
        this.json = json;
        this.pool = pool;
        this.clock = clock;
    }

    /**
     * Adds the assignment as it now is to its engineer's feed, in the caller's transaction (call
     * it inside one, after the change): {@code assignment-offered} for an offer,
     * {@code assignment-accepted} after an accept, and so on for each status.
     */
    public Uni<Void> append(Assignment assignment) {
        String payload;
        try {
            payload = json.writeValueAsString(AssignmentResponse.of(assignment));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("Cannot write assignment " + assignment.id, e));
        }
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(APPEND, Long.class)
                        .setParameter(1, assignment.engineerId)
                        .setParameter(2, eventName(assignment))
                        .setParameter(3, payload)
                        .setParameter(4, clock.instant())
                        .getSingleResult())
                .replaceWithVoid();
    }

    /** {@code assignment-offered}, {@code assignment-accepted}, ... after the assignment's status. */
    static String eventName(Assignment assignment) {
        return "assignment-" + assignment.status.name().toLowerCase(Locale.ROOT);
    }

    /** Whether the engineer is known here and linked to this account (any account when it is null). */
    Uni<Boolean> engineerOf(UUID engineerId, String account) {
        return pool.preparedQuery("select exists (select 1 from engineer where id = $1"
                        + " and ($2::varchar is null or account_id = $2))")
                .execute(Tuple.of(engineerId, account))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** The number of the engineer's last entry; 0 when there is none yet. */
    Uni<Long> head(UUID engineerId) {
        return pool.preparedQuery(
                        "select coalesce((select last_seq from engineer_feed_head where engineer_id = $1), 0)")
                .execute(Tuple.of(engineerId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** The number of the last entry of each of these engineers that has any (one query). */
    Uni<Map<UUID, Long>> heads(List<UUID> engineerIds) {
        return pool.preparedQuery("select engineer_id, last_seq from engineer_feed_head where engineer_id = any($1)")
                .execute(Tuple.of(engineerIds.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, Long> heads = new HashMap<>();
                    for (Row row : rows) {
                        heads.put(row.getUUID("engineer_id"), row.getLong("last_seq"));
                    }
                    return heads;
                });
    }

    /** The engineer's entries after number {@code after}, in order, at most {@code limit}. */
    Uni<List<Entry>> after(UUID engineerId, long after, int limit) {
        return pool.preparedQuery("""
                select seq, event, payload::text as payload from engineer_feed
                where engineer_id = $1 and seq > $2 order by seq limit $3""")
                .execute(Tuple.of(engineerId, after, limit))
                .map(rows -> {
                    List<Entry> entries = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        entries.add(new Entry(row.getLong("seq"), row.getString("event"), row.getString("payload")));
                    }
                    return entries;
                });
    }

    /** Deletes the entries written before {@code before} (never an engineer's last number: the head row stays). */
    Uni<Integer> deleteBefore(Instant before) {
        return pool.preparedQuery("delete from engineer_feed where at < $1")
                .execute(Tuple.of(before.atOffset(ZoneOffset.UTC)))
                .map(result -> result.rowCount());
    }

    /** One entry of an engineer's feed: its number (the SSE id), its event name and the assignment as JSON. */
    record Entry(long seq, String event, String payload) {}
}
