package io.ascall.callview

import io.ascall.apitesting.ApiContract
import io.ascall.apitesting.DatabaseSnapshot
import io.ascall.apitesting.OddInputBattery
import io.ascall.callview.support.CallViewServiceTest
import io.ascall.callview.support.Callers
import io.ascall.callview.support.Kafka
import io.ascall.callview.support.SagaScript
import io.ascall.callview.support.Views
import io.vertx.mutiny.sqlclient.Pool
import jakarta.inject.Inject
import org.junit.jupiter.api.Test

/**
 * The odd-input battery over call-view-service's whole OpenAPI document (every operation and
 * parameter; the stream left out, since a stream that is accepted never ends): no 5xx, every 4xx a
 * problem, every refusal the document's constraints call for, and no refused request changes a row
 * (the database before and after, table by table).
 *
 * `POST /admin/rebuild` has no parameter and no body: its only cases are a URI and headers over the
 * limits, both refusals, so the battery never starts a rebuild (one would be a new row of
 * rebuild_run, which the snapshot compares).
 *
 * Every case is sent as an operator, who may call every operation: an odd input refused for its
 * credentials would prove nothing about the input.
 */
@CallViewServiceTest
class OddInputBatteryTest {

    @Inject lateinit var pool: Pool

    @Test
    fun `every odd input is a problem and no refusal changes a row`() {
        val contract = ApiContract.ofRunningService()
        val saga = SagaScript()
        Kafka.send(saga.callRequested(), saga.paymentApproved(), saga.callPaid())
        Views.awaitVersion(saga.callId, 3)
        val battery =
            OddInputBattery.of(contract)
                .pathValue("callId", saga.callId.toString())
                .skip("GET /call-views/{callId}/stream")
                .token(Callers.OPERATOR_TOKEN)
        battery.check(DatabaseSnapshot.of(pool), 44)
    }
}
