package io.ascall.call.support;

import java.time.Duration;
import java.util.Map;

import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironment;
import io.ascall.local.LocalPostgres;
import io.ascall.local.ProjectPaths;
import io.ascall.local.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real payment-service, packaged and started as its own process on its own database, with a
 * {@link FaultyProxy} in front of it: call-service's tests talk to it over real HTTP.
 */
public class PaymentServiceResource implements QuarkusTestResourceLifecycleManager {

    private static ServiceProcess paymentService;
    private static FaultyProxy proxy;

    @Override
    public Map<String, String> start() {
        LocalPostgres postgres = LocalEnvironment.shared().postgres();
        paymentService = ServiceProcess.forModule("payment-service")
                .config(postgres.datasourceConfig("payment"))
                // verifies call-service's client-credentials token against the tests' issuer
                .config("quarkus.oidc.auth-server-url", TestIssuer.realmUrl())
                .config(
                        "kafka.bootstrap.servers",
                        LocalEnvironment.shared().kafka().bootstrapServers())
                .logFile(ProjectPaths.locate().root().resolve("call-service/target/payment-service-under-test.log"))
                .start();
        paymentService.awaitReady(Duration.ofSeconds(90));
        proxy = new FaultyProxy(paymentService.port());
        return Map.of("quarkus.rest-client.payment.url", "http://127.0.0.1:" + proxy.port());
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (paymentService != null) {
            paymentService.stop();
        }
    }

    public static FaultyProxy proxy() {
        return proxy;
    }

    public static ServiceProcess paymentService() {
        return paymentService;
    }
}
