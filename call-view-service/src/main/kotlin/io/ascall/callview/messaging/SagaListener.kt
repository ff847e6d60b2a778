package io.ascall.callview.messaging

import io.ascall.callview.Source
import jakarta.enterprise.context.ApplicationScoped
import org.eclipse.microprofile.reactive.messaging.Incoming

/**
 * Every saga event, from the three topics (consumer group `call-view-service`). Each channel
 * handles one record at a time, in partition order: a call's events of one source arrive in the
 * order they were published.
 */
@ApplicationScoped
class SagaListener(private val receiver: EventReceiver) {

    @Incoming("call-events")
    suspend fun fromCallService(payload: String?) = receiver.receive(Source.CALL, payload)

    @Incoming("payment-events")
    suspend fun fromPaymentService(payload: String?) = receiver.receive(Source.PAYMENT, payload)

    @Incoming("engineer-events")
    suspend fun fromEngineerService(payload: String?) = receiver.receive(Source.ENGINEER, payload)
}
