package io.ascall.local;

import java.util.List;

/**
 * What the committed local realm ({@code deploy/local/keycloak/realm/ascall-realm.json}) holds,
 * for the code that uses it: its name, its clients and its sample users. {@link LocalKeycloak}
 * imports that file on every start; {@code LocalKeycloakTest} checks that tokens of the realm
 * match these values, so the file and this class cannot drift apart unnoticed.
 *
 * <p>Everything here is for the local run and the tests only: no real system has these
 * passwords, this client secret or the realm's committed signing key.
 */
public final class LocalRealm {

    /** The realm: the issuer is {@code <keycloak>/realms/ascall}. */
    public static final String REALM = "ascall";

    /**
     * The public client of the mobile app and the engineer console: authorization code with PKCE
     * (S256), and, in this local realm only, password grant for tests and the README's curl lines.
     * Its tokens carry the audiences call-service, engineer-service, call-view-service and
     * payment-service (operators read payments; no user has role {@code payment-writer}, which
     * charges and voids need).
     */
    public static final String APP_CLIENT = "ascall-app";

    /**
     * call-service's own identity (client credentials): its service account holds role
     * {@code payment-writer} and its tokens the audience payment-service.
     */
    public static final String CALL_SERVICE_CLIENT = "call-service";

    public static final String CALL_SERVICE_SECRET = "call-service-local-secret";

    /**
     * A user of the realm.
     *
     * @param username the login name
     * @param password the password (non-temporary)
     * @param id       the user's id, the tokens' {@code sub}: fixed in the realm file, so it is the same on every start
     * @param role     the realm role ({@code customer}, {@code engineer} or {@code operator})
     */
    public record User(String username, String password, String id, String role) {

        @Override
        public String toString() {
            // never the password: users end up in test names and messages
            return username + " (" + role + ", id " + id + ")";
        }
    }

    public static final User ALICE = new User("alice", "alice", "6f1c2a80-0000-4000-8000-00000000a11c", "customer");
    public static final User BOB = new User("bob", "bob", "6f1c2a80-0000-4000-8000-000000000b0b", "customer");

    /**
     * A customer whose every card payment the simulated gateway of payment-service declines: her
     * id, the customer id of her calls, starts with {@code declined-}.
     */
    public static final User DANA = new User("dana", "dana", "declined-7d3c2f0e-dana", "customer");

    public static final User PARK = new User("park", "park", "6f1c2a80-0000-4000-8000-00000000fa4c", "engineer");
    public static final User KIM = new User("kim", "kim", "6f1c2a80-0000-4000-8000-000000000c1a", "engineer");
    public static final User OLIVIA = new User("olivia", "olivia", "6f1c2a80-0000-4000-8000-0000000011ea", "operator");

    /** The sample users, in the order {@code deploy/local/up} lists them. */
    public static final List<User> USERS = List.of(ALICE, BOB, DANA, PARK, KIM, OLIVIA);

    private LocalRealm() {}
}
