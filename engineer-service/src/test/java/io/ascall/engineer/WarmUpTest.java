package io.ascall.engineer;

import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

import io.ascall.apitesting.DatabaseSnapshot;
import io.ascall.apitesting.WarmUpChecks;
import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.warmup.WarmUpGate;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/** The start-up rehearsal of the hot paths: the service is ready only after it, and it leaves no trace. */
@EngineerServiceTest
class WarmUpTest {

    @Inject
    @Readiness
    WarmUpGate warmUp;

    @Inject
    Pool database;

    @Test
    void theServiceIsReadyOnlyOnceWarmedUpAndTheWarmUpDidNotFail() {
        WarmUpChecks.assertWarmedUpWithoutFailure();
    }

    @Test
    void theRehearsalsChangeNoRow() throws Throwable {
        WarmUpChecks.assertRehearsalsChangeNothing(
                DatabaseSnapshot.of(database), () -> VertxContextSupport.subscribeAndAwait(warmUp::rehearseAll));
    }
}
