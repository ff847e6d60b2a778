package io.ascall.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How large a request a service reads. Each is answered beyond it with a problem (413, 414, 431),
 * by {@link TransportGuard}. Netty's own limits ({@code quarkus.http.limits.max-initial-line-length}
 * and {@code max-header-size}, set in this library's config to {@link TransportGuard#NETTY_CEILING})
 * stay above these: Netty refuses what exceeds its limits before any handler runs, with a bare
 * status, so it must only ever see requests far beyond what a client sends by mistake.
 */
@ConfigMapping(prefix = "ascall.http.limits")
public interface RequestLimits {

    /** The request line (method, URI, version): Quarkus's default, ample for every documented query. */
    @WithDefault("4096")
    int requestLine();

    /** All header fields together (names, values, separators): room for a bearer token or two. */
    @WithDefault("20K")
    MemorySize headers();

    /** A request body: every body of these APIs is a small JSON object (under 2 KiB). */
    @WithDefault("64K")
    MemorySize body();
}
