package io.ascall.engineer.rest;

import java.util.List;

/** One page of engineers, by name. */
public record EngineerPage(List<EngineerResponse> items, int page, int size, long total) {}
