package io.ascall.messaging;

import io.ascall.events.AssignmentAccepted;
import io.ascall.events.AssignmentExpired;
import io.ascall.events.AssignmentRejected;
import io.ascall.events.AssignmentWithdrawn;
import io.ascall.events.CallCancelled;
import io.ascall.events.CallPaid;
import io.ascall.events.CallPaymentFailed;
import io.ascall.events.CallRequested;
import io.ascall.events.EngineerAssigned;
import io.ascall.events.NoEngineerAvailable;
import io.ascall.events.PaymentApproved;
import io.ascall.events.PaymentDeclined;
import io.ascall.events.PaymentRefunded;
import io.ascall.events.PaymentVoided;
import io.ascall.events.ServiceCompleted;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The saga's event records are read and written by Jackson through reflection (their record
 * components and {@code @Required}): registered here for the native image, as saga-events itself
 * knows nothing of Quarkus. SagaEventReflectionTest keeps this list equal to EventTopic's.
 */
@RegisterForReflection(
        targets = {
            CallRequested.class,
            CallPaid.class,
            CallPaymentFailed.class,
            CallCancelled.class,
            PaymentApproved.class,
            PaymentDeclined.class,
            PaymentVoided.class,
            PaymentRefunded.class,
            EngineerAssigned.class,
            AssignmentAccepted.class,
            AssignmentRejected.class,
            AssignmentExpired.class,
            AssignmentWithdrawn.class,
            ServiceCompleted.class,
            NoEngineerAvailable.class
        })
final class SagaEventReflection {

    private SagaEventReflection() {}
}
