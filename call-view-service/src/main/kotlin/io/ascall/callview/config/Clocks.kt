package io.ascall.callview.config

import jakarta.enterprise.inject.Produces
import jakarta.inject.Singleton
import java.time.Clock

/**
 * The service's clock, injectable so that time-dependent code is testable (as in the Java
 * services).
 */
class Clocks {

    @Produces @Singleton fun clock(): Clock = Clock.systemUTC()
}
