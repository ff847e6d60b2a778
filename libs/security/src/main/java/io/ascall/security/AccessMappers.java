package io.ascall.security;

import java.time.Duration;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.ascall.problem.CommonProblemType;
import io.ascall.problem.Problem;
import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * 401 and 403 as problems, with the {@code WWW-Authenticate} challenge of RFC 6750. Quarkus would
 * answer them with an empty body; authentication runs inside Quarkus REST
 * ({@code quarkus.http.auth.proactive=false}, this module's defaults) so that its failures reach
 * these mappers.
 *
 * <p>A refusal says what is wrong with the credentials in general terms only: which check a forged
 * token failed is logged at debug level, not told to its sender.
 */
public class AccessMappers {

    private static final Logger LOG = Logger.getLogger(AccessMappers.class);

    /** The realm of the challenge: what the token must be for. */
    static final String REALM = "ascall";

    /**
     * How long a client waits before asking again while the identity provider is unreachable:
     * quarkus-oidc tries to reach it again on the next request that needs it.
     */
    static final Duration PROVIDER_RETRY_AFTER = Duration.ofSeconds(5);

    /** A token was sent and is not valid: expired, not signed by the provider's key, wrong issuer or audience. */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri, HttpHeaders headers) {
        OIDCException provider = providerFailure(e);
        if (provider != null) {
            return identityProviderUnavailable(provider, uri);
        }
        LOG.debugf(e, "Refused the credentials of %s", uri.getRequestUri().getRawPath());
        return unauthorized(uri, headers);
    }

    /**
     * The identity provider has not been reached since this service started (quarkus-oidc learns
     * its discovery document and signing keys lazily and keeps trying), so no token can be checked:
     * the caller's credentials may be fine, the failure is ours. 503, not 401 (which would send a
     * user to sign in again for nothing) nor 500; nothing was changed.
     */
    @ServerExceptionMapper
    public Response identityProviderUnavailable(OIDCException e, UriInfo uri) {
        Problem problem = Problem.of(
                        CommonProblemType.IDENTITY_PROVIDER_UNAVAILABLE,
                        "The identity provider cannot be reached, so the token could not be checked; nothing was"
                                + " changed. Retry shortly.")
                .retryAfter(PROVIDER_RETRY_AFTER)
                .at(uri);
        LOG.warnf("%s could not be authenticated: %s", problem.body().get("instance"), e.getMessage());
        return problem.toResponse();
    }

    /** No token where one is required. */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri, HttpHeaders headers) {
        return unauthorized(uri, headers);
    }

    /** A valid token whose holder lacks the role the endpoint requires. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Response.fromResponse(Problem.of(CommonProblemType.FORBIDDEN, "Your role does not allow this request")
                        .at(uri)
                        .toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\"")
                .build();
    }

    private static Response unauthorized(UriInfo uri, HttpHeaders headers) {
        boolean tokenSent = bearerToken(headers);
        Problem problem = Problem.of(
                        CommonProblemType.UNAUTHORIZED,
                        tokenSent
                                ? "The bearer token is not valid: expired, not issued for this service, or not"
                                        + " signed by the identity provider. Sign in again."
                                : "This request needs an 'Authorization: Bearer <token>' header.")
                .at(uri);
        // RFC 6750 §3: no error code when no credentials were sent, invalid_token when they were
        String challenge = tokenSent
                ? "Bearer realm=\"" + REALM + "\", error=\"invalid_token\""
                : "Bearer realm=\"" + REALM + "\"";
        return Response.fromResponse(problem.toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .build();
    }

    /** The provider's unavailability, if that is what made authentication fail. */
    private static OIDCException providerFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof OIDCException oidc) {
                return oidc;
            }
        }
        return null;
    }

    private static boolean bearerToken(HttpHeaders headers) {
        String authorization = headers == null ? null : headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        return authorization != null && !authorization.isBlank();
    }
}
