package io.ascall.engineer.support;

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
 * An engineer-service test on the real environment: its own PostgreSQL database and the Kafka
 * broker, shared by every test class of the JVM (tests use call ids and regions of their own);
 * tokens verified against the {@link TestIssuer}.
 */
@QuarkusTest
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "engineer"), @ResourceArg(name = "kafka", value = "true")})
@QuarkusTestResource(TestIssuer.class)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EngineerServiceTest {}
