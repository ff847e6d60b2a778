package io.ascall.payment.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import io.ascall.local.LocalEnvironmentResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * payment-service whose identity provider cannot be reached: its realm URL points at a port
 * nothing listens on. The global test issuer is left out ({@link #disableGlobalTestResources()}),
 * because a test resource's configuration outranks a profile's overrides.
 */
public class IdentityProviderDownProfile implements QuarkusTestProfile {

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(
                        LocalEnvironmentResource.class,
                        Map.of(LocalEnvironmentResource.DATABASE, "payment", LocalEnvironmentResource.KAFKA, "true")),
                new TestResourceEntry(UnreachableIssuer.class));
    }

    /** A realm URL on a loopback port that was free a moment ago: connections to it are refused. */
    public static class UnreachableIssuer implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("quarkus.oidc.auth-server-url", "http://127.0.0.1:" + port + "/realms/ascall");
        }

        @Override
        public void stop() {}
    }
}
