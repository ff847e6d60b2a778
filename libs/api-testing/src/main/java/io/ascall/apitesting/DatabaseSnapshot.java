package io.ascall.apitesting;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * Every row of a service's own schema, as one comparable text: per table its row count and a digest
 * of its rows in order (flyway's history left out). Taken through the service's own pool, by a
 * function that runs one query and answers its single text column.
 */
public final class DatabaseSnapshot {

    private static final String QUERY = """
            select coalesce(string_agg(format('%s=%s', table_name,
                (xpath('/row/c/text()', query_to_xml(format(
                    'select count(*) || '':'' || coalesce(md5(string_agg(t::text, ''|'' order by t::text)), '''') as c from %I t',
                    table_name), false, true, '')))[1]::text), ', ' order by table_name), '')
            from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE'
              and table_name <> 'flyway_schema_history'
            """;

    private final UnaryOperator<String> queryOne;

    public DatabaseSnapshot(UnaryOperator<String> queryOne) {
        this.queryOne = queryOne;
    }

    /** Through a service's own reactive pool (Mutiny), from a test thread. */
    public static DatabaseSnapshot of(io.vertx.mutiny.sqlclient.Pool pool) {
        return new DatabaseSnapshot(sql -> pool.query(sql)
                .execute()
                .await()
                .atMost(Duration.ofSeconds(30))
                .iterator()
                .next()
                .getString(0));
    }

    public String take() {
        return queryOne.apply(QUERY);
    }

    /**
     * A snapshot once the service's own background work (its relay, its reconciler) has settled: two
     * snapshots a second apart agree, within 30 s.
     */
    public String whenQuiet() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = take();
        while (System.nanoTime() < deadline) {
            sleep();
            String next = take();
            if (next.equals(last)) {
                return next;
            }
            last = next;
        }
        throw new IllegalStateException("The database did not settle within 30 s");
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
