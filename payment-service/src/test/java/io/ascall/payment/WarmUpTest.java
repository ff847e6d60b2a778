package io.ascall.payment;

import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

import io.ascall.apitesting.DatabaseSnapshot;
import io.ascall.apitesting.TestIssuer;
import io.ascall.apitesting.WarmUpChecks;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.warmup.WarmUpGate;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/** The start-up rehearsal of the hot paths: the service is ready only after it, and it leaves no trace. */
@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "payment"), @ResourceArg(name = "kafka", value = "true")})
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
