package io.ascall.call.warmup;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ascall.call.Call;
import io.ascall.call.config.FeeSchedule;
import io.ascall.call.messaging.CallEvents;
import io.ascall.call.repository.CallRepository;
import io.ascall.call.rest.CallResponse;
import io.ascall.events.ApplianceType;
import io.ascall.warmup.Rehearsal;
import io.ascall.warmup.WarmUp;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The database side of POST /calls and of the reads, rolled back: a call stored with its
 * CallRequested, locked and paid with its CallPaid, read back, listed and written as JSON. The
 * charge itself is not rehearsed: nothing may reach payment-service.
 */
@ApplicationScoped
class IntakeRehearsal implements WarmUp {

    private static final String NOBODY = "warm-up";

    private final FeeSchedule fees;
    private final CallEvents events;
    private final CallRepository calls;
    private final ObjectMapper json;
    private final Clock clock;

    IntakeRehearsal(FeeSchedule fees, CallEvents events, CallRepository calls, ObjectMapper json, Clock clock) {
        this.fees = fees;
        this.events = events;
        this.calls = calls;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "call intake";
    }

    @Override
    public Uni<Void> rehearse() {
        return Rehearsal.rolledBack(() -> {
            Instant now = clock.instant();
            Call draft = Call.request(
                    NOBODY,
                    ApplianceType.WASHER,
                    NOBODY,
                    NOBODY,
                    null,
                    fees.feeFor(ApplianceType.WASHER),
                    fees.currency(),
                    now);
            return draft.<Call>persist()
                    .chain(() -> events.record(draft, draft.requested()))
                    .chain(Panache::flush)
                    .chain(() -> Call.forChange(draft.id))
                    .chain(call -> events.record(call, call.paymentApproved(UUID.randomUUID(), now)))
                    .chain(Panache::flush)
                    .chain(() -> calls.findById(draft.id))
                    .chain(() -> calls.list(new CallRepository.Filter(NOBODY, null, null), 0, 20))
                    .invoke(page -> page.items().forEach(this::write));
        });
    }

    private void write(Call call) {
        try {
            json.writeValueAsBytes(CallResponse.of(call));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
