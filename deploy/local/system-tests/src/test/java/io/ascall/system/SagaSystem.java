package io.ascall.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ascall.local.LocalEnvironment;
import io.ascall.local.LocalKafka;
import io.ascall.local.LocalKeycloak;
import io.ascall.local.LocalPostgres;
import io.ascall.local.LocalRealm;
import io.ascall.local.ProjectPaths;
import io.ascall.local.ServiceProcess;
import io.restassured.RestAssured;

/**
 * The whole system for one test class: payment-service, engineer-service and call-service as
 * their packaged applications, each its own process with its own database, on the shared
 * PostgreSQL and on a Kafka broker of this test's own (so that a test may stop and restart it).
 * Offers expire after {@link #OFFER_TIMEOUT} unless the test chooses otherwise, so that expiry
 * takes seconds where it is tested and never interferes where it is not. A test that asks for
 * it ({@link #startWithCallView}) also gets call-view-service, with its own database. Tokens
 * come from the local realm on the Keycloak of this JVM ({@link LocalEnvironment#keycloak()}),
 * started once for all system tests; call-service logs in as its own client to charge.
 */
final class SagaSystem implements AutoCloseable {

    static final Duration OFFER_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration READY = Duration.ofSeconds(120);
    /**
     * A charge's timeout in call-service: production's 2 s is meant for a warm payment-service;
     * here freshly started JVMs share two cores with the build.
     */
    private static final String CHARGE_TIMEOUT_MILLIS = "8000";

    final LocalKafka kafka;
    /** The local realm's users, on the Keycloak shared by every system test of this JVM. */
    final Accounts accounts;

    final ServiceProcess payment;
    final ServiceProcess engineer;
    final ServiceProcess call;
    /** call-view-service, or null when the test did not ask for it. */
    final ServiceProcess callView;

    private SagaSystem(String name, Duration offerTimeout, boolean withCallView) {
        LocalPostgres postgres = LocalEnvironment.shared().postgres();
        LocalKeycloak keycloak = LocalEnvironment.shared().keycloak();
        accounts = new Accounts(keycloak);
        RestAssured.filters(accounts.operatorByDefault());
        Map<String, String> identity = Map.of("quarkus.oidc.auth-server-url", keycloak.issuer());
        Path logs = ProjectPaths.locate().root().resolve("deploy/local/system-tests/target/logs/" + name);
        kafka = LocalKafka.start(null, 0, logs.resolve("kafka.log"));
        String bootstrap = kafka.bootstrapServers();
        payment = ServiceProcess.forModule("payment-service")
                .config(postgres.datasourceConfig(name + "_payment"))
                .config("kafka.bootstrap.servers", bootstrap)
                .config(identity)
                .config(fastMessaging())
                .logFile(logs.resolve("payment-service.log"))
                .start();
        engineer = ServiceProcess.forModule("engineer-service")
                .config(postgres.datasourceConfig(name + "_engineer"))
                .config("kafka.bootstrap.servers", bootstrap)
                .config(identity)
                .config("engineer.offer.timeout", offerTimeout.toString())
                .config(fastMessaging())
                .logFile(logs.resolve("engineer-service.log"))
                .start();
        payment.awaitReady(READY);
        call = ServiceProcess.forModule("call-service")
                .config(postgres.datasourceConfig(name + "_call"))
                .config("kafka.bootstrap.servers", bootstrap)
                .config(identity)
                .config("quarkus.rest-client.payment.url", payment.baseUri().toString())
                .config("quarkus.oidc-client.credentials.secret", LocalRealm.CALL_SERVICE_SECRET)
                .config(
                        "quarkus.fault-tolerance.\"io.ascall.call.client.FeeCollector/collect\".timeout.value",
                        CHARGE_TIMEOUT_MILLIS)
                .config(fastMessaging())
                .logFile(logs.resolve("call-service.log"))
                .start();
        callView = withCallView
                ? ServiceProcess.forModule("call-view-service")
                        .config(postgres.datasourceConfig(name + "_callview"))
                        .config("kafka.bootstrap.servers", bootstrap)
                        .config(identity)
                        .config("quarkus.shutdown.delay", "0s")
                        .logFile(logs.resolve("call-view-service.log"))
                        .start()
                : null;
        engineer.awaitReady(READY);
        call.awaitReady(READY);
        if (callView != null) {
            callView.awaitReady(READY);
        }
    }

    static SagaSystem start(String name) {
        return new SagaSystem(name, OFFER_TIMEOUT, false);
    }

    static SagaSystem start(String name, Duration offerTimeout) {
        return new SagaSystem(name, offerTimeout, false);
    }

    /** The system with call-view-service too, its database {@code <name>_callview}. */
    static SagaSystem startWithCallView(String name) {
        return new SagaSystem(name, OFFER_TIMEOUT, true);
    }

    private static Map<String, String> fastMessaging() {
        return Map.of("messaging.relay.poll-interval", "500ms", "quarkus.shutdown.delay", "0s");
    }

    @Override
    public void close() {
        RestAssured.replaceFiltersWith(List.of());
        for (AutoCloseable process : new AutoCloseable[] {callView, call, engineer, payment, kafka}) {
            try {
                if (process != null) {
                    process.close();
                }
            } catch (Exception e) {
                System.err.println("Could not stop " + process + ": " + e);
            }
        }
    }
}
