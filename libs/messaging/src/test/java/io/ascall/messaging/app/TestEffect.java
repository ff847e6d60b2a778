package io.ascall.messaging.app;

import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The effect of one applied event: which step ran, for which event. */
@Entity
@Table(name = "test_effect")
public class TestEffect extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long position;

    @Column(name = "call_id")
    public UUID callId;

    @Column(name = "event_type")
    public String eventType;

    public long sequence;

    /** What the step saw of the event's own fields. */
    public String detail;
}
