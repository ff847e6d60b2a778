package io.ascall.apitesting;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.smallrye.jwt.build.Jwt;

/**
 * Access tokens for the services' tests, shaped as the ascall realm's Keycloak issues them
 * ({@code iss}, {@code sub}, {@code aud} with the services' names, roles in
 * {@code realm_access.roles}, {@code azp}) and signed with the key {@link TestIssuer} publishes: the
 * services verify them for real (signature, issuer, audience, expiry), as they verify Keycloak's.
 *
 * <pre>{@code
 * given().auth().oauth2(Tokens.customer("alice")).get("/calls");
 * }</pre>
 *
 * <p>Tokens are valid for {@link #LIFESPAN} and kept per subject and roles: signing one costs a
 * millisecond, and tests ask for the same few again and again.
 */
public final class Tokens {

    /** The issuer the Quarkus OIDC test server's discovery document names. */
    public static final String ISSUER = "https://server.example.com";
    /** The client the mobile app and the engineer console take their users' tokens through. */
    public static final String APP_CLIENT = "ascall-app";
    /** The services a user's token is for (Keycloak's client scope ascall-api adds them all). */
    public static final Set<String> USER_AUDIENCE =
            Set.of("call-service", "engineer-service", "payment-service", "call-view-service");

    public static final Duration LIFESPAN = Duration.ofHours(6);

    /** The test server's signing key (in the quarkus-test-oidc-server jar) and the id its key set gives it. */
    private static final String KEY = "privateKey.jwk";

    private static final String KEY_ID = "1";

    private static final Map<String, String> ISSUED = new ConcurrentHashMap<>();

    private Tokens() {}

    public static String customer(String subject) {
        return user(subject, "customer");
    }

    public static String engineer(String subject) {
        return user(subject, "engineer");
    }

    public static String operator(String subject) {
        return user(subject, "operator");
    }

    /** A user of the app with these realm roles (none for a user the realm gave no role). */
    public static String user(String subject, String... roles) {
        return ISSUED.computeIfAbsent(
                "user|" + subject + "|" + String.join(",", roles),
                key -> sign(
                        subject,
                        APP_CLIENT,
                        USER_AUDIENCE,
                        List.of(roles),
                        Instant.now().plus(LIFESPAN)));
    }

    /**
     * A calling service's own token (client credentials): its service account's subject, for
     * {@code audience} only, with these realm roles.
     */
    public static String service(String clientId, String audience, String... roles) {
        return ISSUED.computeIfAbsent(
                "service|" + clientId + "|" + audience + "|" + String.join(",", roles),
                key -> sign(
                        "service-account-" + clientId,
                        clientId,
                        Set.of(audience),
                        List.of(roles),
                        Instant.now().plus(LIFESPAN)));
    }

    /** A customer's token that expired ten minutes ago. */
    public static String expiredCustomer(String subject) {
        return sign(
                subject,
                APP_CLIENT,
                USER_AUDIENCE,
                List.of("customer"),
                Instant.now().minus(Duration.ofMinutes(10)));
    }

    /** A customer's token for other services only: right issuer and signature, wrong audience. */
    public static String customerFor(String subject, String audience) {
        return sign(
                subject,
                APP_CLIENT,
                Set.of(audience),
                List.of("customer"),
                Instant.now().plus(LIFESPAN));
    }

    /**
     * A customer's token signed by a key the issuer never published, under the id of its real
     * key: what a forger who knows the token's shape produces.
     */
    public static String forgedCustomer(String subject) {
        return claims(
                        subject,
                        APP_CLIENT,
                        USER_AUDIENCE,
                        List.of("customer"),
                        Instant.now().plus(LIFESPAN))
                .jws()
                .keyId(KEY_ID)
                .sign(strangerKey().getPrivate());
    }

    private static String sign(
            String subject, String client, Set<String> audience, List<String> roles, Instant expiresAt) {
        return claims(subject, client, audience, roles, expiresAt)
                .jws()
                .keyId(KEY_ID)
                .sign(KEY);
    }

    private static io.smallrye.jwt.build.JwtClaimsBuilder claims(
            String subject, String client, Set<String> audience, List<String> roles, Instant expiresAt) {
        Instant issuedAt = expiresAt.isBefore(Instant.now()) ? expiresAt.minus(Duration.ofMinutes(5)) : Instant.now();
        return Jwt.issuer(ISSUER)
                .subject(subject)
                .audience(audience)
                .preferredUserName(subject)
                .claim("azp", client)
                .claim("typ", "Bearer")
                .claim("realm_access", Map.of("roles", roles))
                .issuedAt(issuedAt.getEpochSecond())
                .expiresAt(expiresAt.getEpochSecond());
    }

    private static KeyPair strangerKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("No RSA on this JVM", e);
        }
    }
}
