package io.ascall.problem;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One invalid input of a {@code validation} problem ({@code errors: [{field, message}]}): a
 * field of the JSON body, or a query, path or header parameter by its own name. A record rather
 * than a map so that its members are always written in this order.
 */
@RegisterForReflection // written by Jackson, also in a native image
public record FieldError(String field, String message) {}
