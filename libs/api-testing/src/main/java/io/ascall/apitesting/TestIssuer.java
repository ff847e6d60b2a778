package io.ascall.apitesting;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The identity provider of a service's tests: the Quarkus OIDC test server (WireMock in the test
 * JVM) serving a discovery document and the key set that {@link Tokens} are signed with, so the
 * service verifies every test token for real. The system tests and the local run use a real
 * Keycloak instead (deploy/local/keycloak).
 *
 * <pre>{@code @QuarkusTestResource(TestIssuer.class)}</pre>
 *
 * <p>Configures {@code quarkus.oidc.auth-server-url}. Its token endpoint also grants a calling
 * service's client credentials: {@link #CALLER} with {@link #CALLER_SECRET} gets
 * {@link Tokens#service} for payment-service with role payment-writer (call-service's tests point
 * {@code quarkus.oidc-client.auth-server-url} at {@link #realmUrl()}).
 *
 * <p>One server per class loader, started on first use and stopped when the JVM exits: each test
 * application of a module reuses it, and processes a test starts ({@code ServiceProcess}) are
 * pointed at the same one.
 */
public class TestIssuer implements QuarkusTestResourceLifecycleManager {

    /** The one calling service of the product, and the secret its tests configure. */
    public static final String CALLER = "call-service";

    public static final String CALLER_SECRET = "call-service-test-secret";

    private static final String REALM_PATH = "/auth/realms/quarkus";

    private static String realmUrl;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.oidc.auth-server-url", realmUrl());
        return config;
    }

    @Override
    public void stop() {
        // shared by the module's test applications: stopped when the JVM exits
    }

    /** The realm URL ({@code quarkus.oidc.auth-server-url}) of this JVM's test server, started on first call. */
    public static synchronized String realmUrl() {
        if (realmUrl == null) {
            OidcWiremockTestResource server = new OidcWiremockTestResource();
            String keycloakUrl = server.start().get("keycloak.url");
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "ascall-stop-test-issuer"));
            URI base = URI.create(keycloakUrl);
            grantClientCredentials(new WireMock(base.getHost(), base.getPort()));
            realmUrl = base.getScheme() + "://" + base.getHost() + ":" + base.getPort() + REALM_PATH;
        }
        return realmUrl;
    }

    /**
     * The test server's own client-credentials answer is a user's token: this one, tried first,
     * answers {@link #CALLER}'s credentials (HTTP Basic, as quarkus-oidc-client sends a secret)
     * with the service token Keycloak's realm gives it.
     */
    private static void grantClientCredentials(WireMock wireMock) {
        String token = Tokens.service(CALLER, "payment-service", "payment-writer");
        wireMock.register(post(urlEqualTo(REALM_PATH + "/token"))
                .atPriority(1)
                .withBasicAuth(CALLER, CALLER_SECRET)
                .withRequestBody(containing("grant_type=client_credentials"))
                .willReturn(okJson("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                        + Tokens.LIFESPAN.toSeconds() + "}")));
    }
}
