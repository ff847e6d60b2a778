package io.ascall.callview.support

import io.ascall.apitesting.TestIssuer
import io.ascall.local.LocalEnvironmentResource
import io.quarkus.test.common.QuarkusTestResource
import io.quarkus.test.common.ResourceArg
import io.quarkus.test.junit.QuarkusTest

/**
 * A call-view-service test on the real environment: its own PostgreSQL database and the Kafka
 * broker, shared by every test class of the JVM. Tests use call ids of their own, and send
 * everything the view should hold through Kafka (so that a rebuild from the topics can be compared
 * with the live view, row for row). Tokens are verified against the [TestIssuer] ([Callers]: who
 * the tests call as).
 */
@QuarkusTest
@QuarkusTestResource(
    value = LocalEnvironmentResource::class,
    initArgs =
        [
            ResourceArg(name = "database", value = "callview"),
            ResourceArg(name = "kafka", value = "true"),
        ],
)
@QuarkusTestResource(TestIssuer::class)
@Retention(AnnotationRetention.RUNTIME)
@Target(AnnotationTarget.CLASS)
annotation class CallViewServiceTest
