package io.ascall.engineer.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Binds {@link StreamPreconditionsFilter} to an engineer's stream: what must hold before its
 * response starts, since a streamed response cannot turn into an error afterwards.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface StreamPreconditions {}
