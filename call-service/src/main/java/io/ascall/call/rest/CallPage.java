package io.ascall.call.rest;

import java.util.List;

/** One page of calls, newest first. */
public record CallPage(List<CallResponse> items, int page, int size, long total) {}
