package io.ascall.events;

/**
 * Facts about offering a call to engineers and about the repair, published by engineer-service on
 * {@code engineer-events}.
 */
public sealed interface EngineerEvent extends SagaEvent permits AssignmentEvent, NoEngineerAvailable {}
