package io.ascall.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * HTTP stays at the edge: the domain (the package root) and the service layer know nothing of
 * JAX-RS, Quarkus REST, the rest layer or the problem mapping; they say what happened, and the
 * rest layer answers it.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src/main/java/io/ascall/call");
    private static final Pattern HTTP = Pattern.compile(
            "^import (static )?(jakarta\\.ws\\.rs|org\\.jboss\\.resteasy|io\\.quarkus\\.resteasy|io\\.ascall\\.problem"
                    + "|io\\.ascall\\.call\\.rest|io\\.ascall\\.call\\.problem)\\b.*");

    @Test
    void theDomainAndTheServicesImportNoHttpTypes() throws IOException {
        List<String> offending;
        try (Stream<Path> domain = Files.list(SOURCES);
                Stream<Path> services = Files.list(SOURCES.resolve("service"))) {
            offending = Stream.concat(domain, services)
                    .filter(file -> file.toString().endsWith(".java"))
                    .flatMap(file -> lines(file)
                            .filter(line -> HTTP.matcher(line).matches())
                            .map(line -> file.getFileName() + ": " + line))
                    .toList();
        }
        assertEquals(List.of(), offending);
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
