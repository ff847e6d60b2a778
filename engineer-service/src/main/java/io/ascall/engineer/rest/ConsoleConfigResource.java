package io.ascall.engineer.rest;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Where the engineer console ({@code /console/}, static files) logs its engineer in: the realm and
 * the client it sends the browser to (authorization code with PKCE). Read by the page before anyone
 * has logged in, so open to all; it says only what the identity provider's login page says anyway.
 * The page is served with it so that the same files work locally and in any cluster.
 */
@Path("/console/config")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
        name = "Engineer console",
        description = "What the engineer console (`/console/`) needs before its engineer has logged in")
public class ConsoleConfigResource {

    /** The console's settings (prefix {@code ascall.console}). */
    @ConfigMapping(prefix = "ascall.console")
    public interface ConsoleSettings {

        /**
         * The realm's URL as the engineer's browser reaches it (its discovery document is under it).
         * Locally that is the service's own {@code quarkus.oidc.auth-server-url}; in a cluster the
         * service reaches the provider at an in-cluster address the browser cannot, so this is set
         * apart ({@code ASCALL_CONSOLE_ISSUER}).
         */
        @WithDefault("${quarkus.oidc.auth-server-url}")
        String issuer();

        /** The public client of the realm the console logs in as (the mobile app's, {@code ascall-app}). */
        @WithDefault("ascall-app")
        String clientId();
    }

    /**
     * @param issuer   the realm's URL for the browser
     * @param clientId the public client to log in as
     */
    @Schema(name = "ConsoleConfig", description = "Where the engineer console logs its engineer in")
    public record ConsoleConfig(
            @Schema(
                    required = true,
                    format = "uri",
                    description = "The realm's URL as a browser reaches it: its OpenID Connect discovery"
                            + " document is `{issuer}/.well-known/openid-configuration`")
            String issuer,

            @Schema(required = true, description = "The public OAuth client the console logs in as")
            String clientId) {}

    private final ConsoleConfig config;

    public ConsoleConfigResource(ConsoleSettings settings) {
        this.config = new ConsoleConfig(settings.issuer(), settings.clientId());
    }

    @GET
    @PermitAll
    @Operation(
            operationId = "getConsoleConfig",
            summary = "Where the engineer console logs in",
            description = "The identity provider's realm and the public client the engineer console sends its"
                    + " engineer to log in with (authorization code with PKCE). Needs no token: the page reads"
                    + " it before anyone has logged in.")
    @APIResponse(responseCode = "200", description = "The realm and the client")
    public ConsoleConfig config() {
        return config;
    }
}
