package io.ascall.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * Who sent this request: the subject ({@code sub}) of its verified bearer token and the roles it
 * carries. A customer's and an engineer's identity come from here, never from a field of the request
 * a client could set.
 */
@RequestScoped
public class Caller {

    /**
     * The longest subject the services keep (their owner columns are 64 characters): Keycloak's are
     * 36 (UUIDs); a provider with longer ones needs wider columns first.
     */
    public static final int MAX_SUBJECT_LENGTH = 64;

    private final SecurityIdentity identity;

    @Inject
    public Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /**
     * The token's subject: the identity provider's stable id of the user or client
     * ({@code quarkus.oidc.token.principal-claim=sub}, set in this module's defaults).
     *
     * @throws io.quarkus.security.UnauthorizedException for an anonymous request (an endpoint that
     *     reads the caller requires a role, so this is a programming error answered as a 401)
     * @throws AuthenticationFailedException for a subject longer than {@value #MAX_SUBJECT_LENGTH}
     *     characters or holding anything but visible ASCII: a token no service can record (401)
     */
    public String subject() {
        if (identity.isAnonymous()) {
            throw new io.quarkus.security.UnauthorizedException("No authenticated caller");
        }
        String subject = identity.getPrincipal().getName();
        if (subject == null
                || subject.isEmpty()
                || subject.length() > MAX_SUBJECT_LENGTH
                || !subject.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new AuthenticationFailedException("The token's subject is not an id this service can hold");
        }
        return subject;
    }

    public boolean is(String role) {
        return !identity.isAnonymous() && identity.hasRole(role);
    }

    public boolean isOperator() {
        return is(Roles.OPERATOR);
    }

    /** An operator, or the one whose subject {@code owner} is. */
    public boolean mayRead(String owner) {
        return isOperator() || owner != null && !identity.isAnonymous() && owner.equals(subject());
    }
}
