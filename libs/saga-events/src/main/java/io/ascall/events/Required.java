package io.ascall.events;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A field every event of its type carries, never null (the schema's {@code required} in
 * docs/asyncapi.yaml: the contract test compares the two). {@link EventCodec} refuses an event
 * without it, so a step never sees a half event.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Required {}
