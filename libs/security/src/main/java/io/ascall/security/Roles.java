package io.ascall.security;

/**
 * The product's roles, as the identity provider issues them (Keycloak realm roles, in the token's
 * {@code realm_access.roles}). README, "Who may do what", says which endpoint each may call.
 */
public final class Roles {

    /** A customer of the mobile app: asks for engineers, follows and cancels their own calls. */
    public static final String CUSTOMER = "customer";
    /** A repair engineer: sees and answers only their own offers. */
    public static final String ENGINEER = "engineer";
    /** Runs the service: reads everything, registers engineers, rebuilds the read model. */
    public static final String OPERATOR = "operator";
    /**
     * Takes charges and voids at payment-service. Only call-service's own client identity (its
     * service account, client credentials) holds it: no person does.
     */
    public static final String PAYMENT_WRITER = "payment-writer";

    private Roles() {}
}
