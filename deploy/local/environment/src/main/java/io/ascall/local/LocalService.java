package io.ascall.local;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A service {@code deploy/local/up} runs: its module, its own database, its port (overridable
 * by an environment variable) and the configuration it needs beyond database, Kafka and the issuer of its tokens.
 *
 * @param module       module folder, e.g. {@code payment-service}; a service whose folder does not exist yet is skipped
 * @param database     the service's own database
 * @param portVariable environment variable overriding the port
 * @param defaultPort  port when the variable is not set
 * @param extraConfig  further configuration, from the ports of all services (by module)
 */
record LocalService(
        String module,
        String database,
        String portVariable,
        int defaultPort,
        Function<Map<String, Integer>, Map<String, String>> extraConfig) {

    /** Every service, in start order: a service starts after those it calls. The one place to add a service. */
    static final List<LocalService> ALL = List.of(
            new LocalService("payment-service", "payment", "PAYMENT_SERVICE_PORT", 8083, ports -> Map.of()),
            new LocalService("engineer-service", "engineer", "ENGINEER_SERVICE_PORT", 8082, ports -> Map.of()),
            new LocalService(
                    "call-service",
                    "call",
                    "CALL_SERVICE_PORT",
                    8081,
                    ports -> Map.of(
                            "quarkus.rest-client.payment.url",
                            "http://" + Ports.HOST + ":" + ports.get("payment-service"),
                            // its own identity at payment-service: the local realm's confidential client
                            "quarkus.oidc-client.credentials.secret",
                            LocalRealm.CALL_SERVICE_SECRET)),
            new LocalService("call-view-service", "callview", "CALL_VIEW_SERVICE_PORT", 8084, ports -> Map.of()));
}
