package io.ascall.callview.config

import io.ascall.events.ApplianceType
import io.ascall.events.AssignmentAccepted
import io.ascall.events.AssignmentExpired
import io.ascall.events.AssignmentRejected
import io.ascall.events.AssignmentWithdrawn
import io.ascall.events.CallCancelled
import io.ascall.events.CallPaid
import io.ascall.events.CallPaymentFailed
import io.ascall.events.CallRequested
import io.ascall.events.CancellationReason
import io.ascall.events.EngineerAssigned
import io.ascall.events.FailureReason
import io.ascall.events.NoEngineerAvailable
import io.ascall.events.PaymentApproved
import io.ascall.events.PaymentDeclined
import io.ascall.events.PaymentRefunded
import io.ascall.events.PaymentVoided
import io.ascall.events.ServiceCompleted
import io.quarkus.runtime.annotations.RegisterForReflection

/**
 * The saga's event records (and the enums in them), which EventCodec's Jackson builds through
 * reflection: registered for the native image (the Knative deployment), where Quarkus only keeps
 * what its own extensions read, such as REST bodies, not what a library does.
 * SagaEventsReflectionTest keeps the list equal to the catalogue's.
 */
@RegisterForReflection(
    targets =
        [
            CallRequested::class,
            CallPaid::class,
            CallPaymentFailed::class,
            CallCancelled::class,
            PaymentApproved::class,
            PaymentDeclined::class,
            PaymentVoided::class,
            PaymentRefunded::class,
            EngineerAssigned::class,
            AssignmentAccepted::class,
            AssignmentRejected::class,
            AssignmentExpired::class,
            AssignmentWithdrawn::class,
            ServiceCompleted::class,
            NoEngineerAvailable::class,
            ApplianceType::class,
            CancellationReason::class,
            FailureReason::class,
        ]
)
class SagaEventsReflection
