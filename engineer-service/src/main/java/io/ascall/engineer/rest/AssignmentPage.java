package io.ascall.engineer.rest;

import java.util.List;

/** One page of an engineer's assignments, newest first. */
public record AssignmentPage(List<AssignmentResponse> items, int page, int size, long total) {}
