package io.ascall.system;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.ascall.local.LocalKeycloak;
import io.ascall.local.LocalRealm;
import io.restassured.filter.Filter;
import io.restassured.http.ContentType;

/**
 * The users of the local realm, as the system tests need them: tokens of the sample users (by
 * password grant, cached by {@link LocalKeycloak}), and engineers' accounts made on demand through
 * Keycloak's admin API, since every engineer record is linked to an account of its own.
 */
final class Accounts {

    private static final AtomicInteger ENGINEERS = new AtomicInteger();

    private final LocalKeycloak keycloak;

    Accounts(LocalKeycloak keycloak) {
        this.keycloak = keycloak;
    }

    /** A valid access token of the user (audience: call-, engineer- and call-view-service). */
    String token(LocalRealm.User user) {
        return keycloak.passwordGrant(user);
    }

    /**
     * A new user of the realm with the engineer role and a full profile (Keycloak refuses to log in a
     * user without one), as an operator onboards an engineer before registering their record.
     */
    LocalRealm.User newEngineer() {
        String username = "engineer-" + ENGINEERS.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        String password = UUID.randomUUID().toString();
        String admin = keycloak.adminToken();
        String location = given().baseUri(keycloak.url())
                .header("Authorization", "Bearer " + admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "username",
                        username,
                        "enabled",
                        true,
                        "emailVerified",
                        true,
                        "firstName",
                        "Test",
                        "lastName",
                        username,
                        "email",
                        username + "@engineers.example",
                        "credentials",
                        List.of(Map.of("type", "password", "value", password, "temporary", false))))
                .post("/admin/realms/" + LocalRealm.REALM + "/users")
                .then()
                .statusCode(201)
                .extract()
                .header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        Map<String, Object> role = given().baseUri(keycloak.url())
                .header("Authorization", "Bearer " + admin)
                .get("/admin/realms/" + LocalRealm.REALM + "/roles/engineer")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("$");
        given().baseUri(keycloak.url())
                .header("Authorization", "Bearer " + admin)
                .contentType(ContentType.JSON)
                .body(List.of(role))
                .post("/admin/realms/" + LocalRealm.REALM + "/users/" + id + "/role-mappings/realm")
                .then()
                .statusCode(204);
        return new LocalRealm.User(username, password, id, "engineer");
    }

    /**
     * A filter giving every request that names no one else the operator's token: what a test only
     * reads, it reads as the operator, who may read everything. Steps of a customer or an engineer
     * set their own token.
     */
    Filter operatorByDefault() {
        return (request, response, context) -> {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", "Bearer " + token(LocalRealm.OLIVIA));
            }
            return context.next(request, response);
        };
    }
}
