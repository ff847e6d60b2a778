package io.ascall.events;

/** Every suitable engineer was offered the call and none took it; call-service cancels it. */
public record NoEngineerAvailable(@Required int offersMade) implements EngineerEvent {}
