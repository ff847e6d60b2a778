package io.ascall.call.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironmentResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A call-service test on the real environment: its own PostgreSQL database, the Kafka broker, and the real
 * payment-service process behind a {@link FaultyProxy}; tokens verified against the {@link TestIssuer}.
 */
@QuarkusTest
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "call"), @ResourceArg(name = "kafka", value = "true")})
@QuarkusTestResource(TestIssuer.class)
@QuarkusTestResource(PaymentServiceResource.class)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CallServiceTest {}
