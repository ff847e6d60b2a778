package io.ascall.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class LocalKeycloakTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Set<String> USER_ROLES = Set.of("customer", "engineer", "operator");

    @TempDir
    Path folder;

    @Test
    void importsTheRealmGivesItsTokensAndStopsWithNothingLeft() throws Exception {
        Path dir = folder.resolve("keycloak");
        List<ProcessHandle> processes;
        int port;
        int managementPort;
        try (LocalKeycloak keycloak = timed(() -> LocalKeycloak.startTemporary(dir))) {
            port = keycloak.port();
            managementPort = keycloak.managementPort();
            assertEquals("http://127.0.0.1:" + port, keycloak.url());
            assertEquals("http://127.0.0.1:" + port + "/realms/ascall", keycloak.issuer());
            String committedKid = committedSigningKeyId();

            for (LocalRealm.User user : LocalRealm.USERS) {
                String token = keycloak.passwordGrant(user);
                JsonNode header = part(token, 0);
                JsonNode claims = part(token, 1);
                assertEquals("RS256", header.path("alg").asText(), user + ": alg");
                assertEquals(committedKid, header.path("kid").asText(), user + ": signed with the committed key");
                assertEquals(keycloak.issuer(), claims.path("iss").asText(), user + ": iss");
                // the fixed id of the realm file, dana's declined- one too
                assertEquals(user.id(), claims.path("sub").asText(), user + ": sub");
                assertEquals(user.username(), claims.path("preferred_username").asText(), user + ": username");
                assertEquals(LocalRealm.APP_CLIENT, claims.path("azp").asText(), user + ": azp");
                assertEquals(
                        900, claims.path("exp").asLong() - claims.path("iat").asLong(), user + ": lifespan");
                Set<String> audiences = strings(claims.path("aud"));
                // payment-service too: operators read payments there, and its role check refuses the rest
                assertTrue(
                        audiences.containsAll(
                                Set.of("call-service", "engineer-service", "call-view-service", "payment-service")),
                        user + ": aud " + audiences);
                Set<String> roles = strings(claims.path("realm_access").path("roles"));
                assertTrue(roles.contains(user.role()), user + ": roles " + roles);
                assertEquals(
                        Set.of(user.role()),
                        roles.stream().filter(USER_ROLES::contains).collect(Collectors.toSet()),
                        user + ": one role only, " + roles);
                // what refuses a user's token on POST /payments and /payments/voids
                assertFalse(roles.contains("payment-writer"), user + ": roles " + roles);
                assertSame(token, keycloak.passwordGrant(user), user + ": the token is cached");
            }
            assertTrue(
                    LocalRealm.DANA.id().startsWith("declined-"), "payment-service's simulated gateway declines her");

            String service = keycloak.clientCredentials(LocalRealm.CALL_SERVICE_CLIENT, LocalRealm.CALL_SERVICE_SECRET);
            JsonNode serviceClaims = part(service, 1);
            assertEquals(committedKid, part(service, 0).path("kid").asText());
            assertEquals(keycloak.issuer(), serviceClaims.path("iss").asText());
            assertEquals(
                    LocalRealm.CALL_SERVICE_CLIENT, serviceClaims.path("azp").asText());
            assertTrue(
                    strings(serviceClaims.path("aud")).contains("payment-service"), "aud " + serviceClaims.path("aud"));
            Set<String> serviceRoles =
                    strings(serviceClaims.path("realm_access").path("roles"));
            assertTrue(serviceRoles.contains("payment-writer"), "roles " + serviceRoles);
            assertFalse(serviceRoles.stream().anyMatch(USER_ROLES::contains), "roles " + serviceRoles);
            assertSame(
                    service,
                    keycloak.clientCredentials(LocalRealm.CALL_SERVICE_CLIENT, LocalRealm.CALL_SERVICE_SECRET));

            // the committed key is the realm's only signing key: no generated one beside it
            JsonNode keys = JSON.readTree(get(keycloak.issuer() + "/protocol/openid-connect/certs"))
                    .path("keys");
            List<String> signingKids = new ArrayList<>();
            keys.forEach(key -> {
                if ("sig".equals(key.path("use").asText())) {
                    signingKids.add(key.path("kid").asText());
                }
            });
            assertEquals(List.of(committedKid), signingKids);

            IllegalStateException refused = assertThrows(
                    IllegalStateException.class, () -> keycloak.passwordGrant("alice", "not-her-password"));
            assertTrue(refused.getMessage().contains("HTTP 401"), refused.getMessage());
            assertThrows(
                    IllegalStateException.class,
                    () -> keycloak.clientCredentials(LocalRealm.CALL_SERVICE_CLIENT, "not-the-secret"));
            // the app's client has no service account: no client credentials for it
            assertThrows(IllegalStateException.class, () -> keycloak.clientCredentials(LocalRealm.APP_CLIENT, ""));

            // many threads asking at once share one token
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                List<Callable<String>> asks = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    asks.add(() -> keycloak.passwordGrant("kim", "kim"));
                }
                Set<String> given = new java.util.HashSet<>();
                for (Future<String> answer : threads.invokeAll(asks)) {
                    given.add(answer.get());
                }
                assertEquals(1, given.size());
            } finally {
                threads.shutdownNow();
            }

            // the admin API answers with the master realm's admin token
            String users = get(
                    keycloak.url() + "/admin/realms/ascall/users?exact=true&username="
                            + URLEncoder.encode("dana", StandardCharsets.UTF_8),
                    keycloak.adminToken());
            assertEquals(
                    LocalRealm.DANA.id(),
                    JSON.readTree(users).path(0).path("id").asText());

            processes = keycloak.processTree();
            // kc.sh and Keycloak's JVM; only the JVM after a start that rebuilt (kc.sh then execs it)
            assertFalse(processes.isEmpty());
            assertTrue(
                    processes.stream()
                            .anyMatch(p -> p.info().commandLine().orElse("").contains("-javaagent:")),
                    "Keycloak's JVM watches its parent: " + describe(processes));
        }
        for (ProcessHandle process : processes) {
            assertFalse(process.isAlive(), "left running: " + process.pid() + " " + process.info());
        }
        assertTrue(Ports.isFree(port), "port " + port + " is free again");
        assertTrue(Ports.isFree(managementPort), "port " + managementPort + " is free again");
        assertFalse(Files.exists(dir), "the temporary folder is deleted");
    }

    @Test
    void endsByItselfWhenTheProcessThatStartedItIsGone() throws Exception {
        try (LocalKeycloak keycloak = timed(() -> LocalKeycloak.startTemporary(folder.resolve("orphan")))) {
            // a second start imports the same signing key again
            assertEquals(
                    committedSigningKeyId(),
                    part(keycloak.passwordGrant(LocalRealm.BOB), 0).path("kid").asText());
            List<ProcessHandle> processes = keycloak.processTree();
            keycloak.simulateParentDeath();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (processes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertFalse(
                    processes.stream().anyMatch(ProcessHandle::isAlive),
                    "still running after its parent is gone: " + describe(processes));
            assertTrue(Ports.isFree(keycloak.port()));
        }
    }

    /** Starts, and says how long it took (the first start after unpacking rebuilds Keycloak). */
    private static LocalKeycloak timed(Callable<LocalKeycloak> start) throws Exception {
        long started = System.nanoTime();
        LocalKeycloak keycloak = start.call();
        System.out.printf("%s ready in %.1f s%n", keycloak, (System.nanoTime() - started) / 1e9);
        return keycloak;
    }

    /**
     * Keycloak names a key by the SHA-256 of its public key: the kid the realm's committed
     * certificate gives, independent of any start.
     */
    private static String committedSigningKeyId() throws Exception {
        JsonNode realm = JSON.readTree(Files.readString(ProjectPaths.locate().keycloakRealmFile()));
        for (JsonNode component : realm.path("components").path("org.keycloak.keys.KeyProvider")) {
            if ("rsa".equals(component.path("providerId").asText())) {
                byte[] der = Base64.getDecoder()
                        .decode(component
                                .path("config")
                                .path("certificate")
                                .path(0)
                                .asText());
                X509Certificate certificate;
                try (InputStream in = new java.io.ByteArrayInputStream(der)) {
                    certificate = (X509Certificate)
                            CertificateFactory.getInstance("X.509").generateCertificate(in);
                }
                byte[] hash = MessageDigest.getInstance("SHA-256")
                        .digest(certificate.getPublicKey().getEncoded());
                return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
            }
        }
        throw new AssertionError("The realm file has no rsa key provider with a committed key");
    }

    private static JsonNode part(String jwt, int index) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]));
    }

    private static Set<String> strings(JsonNode node) {
        if (node.isTextual()) {
            return Set.of(node.asText());
        }
        return StreamSupport.stream(node.spliterator(), false)
                .map(JsonNode::asText)
                .collect(Collectors.toSet());
    }

    private static String get(String uri) throws Exception {
        return get(uri, null);
    }

    private static String get(String uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), uri + ": " + response.body());
        return response.body();
    }

    private static String describe(List<ProcessHandle> processes) {
        return processes.stream()
                .map(p -> p.pid()
                        + (p.isAlive() ? " alive " : " ended ")
                        + p.info().commandLine().orElse("?"))
                .collect(Collectors.joining("; "));
    }
}
