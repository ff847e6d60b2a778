package io.ascall.call.repository;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The reads of calls that the API offers: one call, and the lists customers and operators ask for. */
@ApplicationScoped
public class CallRepository {

    /**
     * Which calls to list; each criterion is optional.
     *
     * @param stuckFor the operators' view: calls not yet final whose status has not changed for at
     *            least that long, longest-stuck first (otherwise newest first)
     */
    public record Filter(String customerId, CallStatus status, Duration stuckFor) {}

    /** One page of the calls a filter matches, and how many it matches in all. */
    public record Page(List<Call> items, long total) {}

    private final Clock clock;

    public CallRepository(Clock clock) {
        this.clock = clock;
    }

    /** The call, or null. */
    @WithSession
    public Uni<Call> findById(UUID id) {
        return Call.findById(id);
    }

    @WithSession
    public Uni<Page> list(Filter filter, int pageIndex, int pageSize) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters parameters = new Parameters();
        if (filter.customerId() != null) {
            query.append(" and customerId = :customerId");
            parameters.and("customerId", filter.customerId());
        }
        if (filter.status() != null) {
            query.append(" and status = :status");
            parameters.and("status", filter.status());
        }
        Sort order = Sort.descending("createdAt").and("id");
        if (filter.stuckFor() != null) {
            query.append(" and status not in :finalStatuses and statusChangedAt <= :stuckSince");
            parameters
                    .and("finalStatuses", CallStatus.finals())
                    .and("stuckSince", clock.instant().minus(filter.stuckFor()));
            order = Sort.ascending("statusChangedAt").and("id");
        }
        var calls = Call.<Call>find(query.toString(), order, parameters);
        return calls.page(pageIndex, pageSize)
                .list()
                .chain(items -> calls.count().map(total -> new Page(items, total)));
    }
}
