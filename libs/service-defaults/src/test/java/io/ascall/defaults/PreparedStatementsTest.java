package io.ascall.defaults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.ascall.local.ProjectPaths;

/**
 * The services keep their statements prepared on each connection
 * (quarkus.datasource.reactive.cache-prepared-statements, in this module's defaults), and
 * PostgreSQL refuses to run a kept statement whose result columns have changed since ("cached
 * plan must not change result type"). A migration adding a column would then fail every
 * {@code select *} of the replicas still running during the rolling update. So no query in the
 * services' code reads {@code *} or {@code alias.*}, nor returns {@code *}.
 */
class PreparedStatementsTest {

    private static final List<String> SERVICES =
            List.of("call-service", "payment-service", "engineer-service", "call-view-service", "libs/messaging");
    /** select *, select e.*, returning *, and a star after a comma in a select list. */
    static final Pattern STAR_COLUMNS = Pattern.compile(
            "(?i)\\b(select|returning)\\s+(\\w+\\.)?\\*|\\bselect\\b[^\"]*?,\\s*(\\w+\\.)?\\*\\s*(,|from\\b)");

    @Test
    void noQueryOfTheServicesReadsEveryColumnByStar() throws IOException {
        Path root = ProjectPaths.locate().root();
        List<String> found = new ArrayList<>();
        int files = 0;
        for (String module : SERVICES) {
            Path sources = root.resolve(module).resolve("src/main");
            assertTrue(Files.isDirectory(sources), sources + " is missing");
            try (Stream<Path> paths = Files.walk(sources)) {
                for (Path file : paths.filter(p ->
                                p.toString().endsWith(".java") || p.toString().endsWith(".kt"))
                        .toList()) {
                    files++;
                    found.addAll(starQueries(root, file));
                }
            }
        }
        assertTrue(files > 50, "read only " + files + " source files: is this the project's root? " + root);
        assertEquals(List.of(), found, "queries that read columns by * (name them instead)");
    }

    @Test
    void theCheckSeesEveryFormOfStar() {
        for (String query : List.of(
                "select * from dispatch where call_id = ?1",
                "select e.* from engineer e",
                "insert into run (id) values ($1) returning *",
                "select *, $ALIVE as alive from rebuild_run",
                "select id, e.* from engineer e")) {
            assertTrue(STAR_COLUMNS.matcher(query).find(), query);
        }
        for (String query : List.of(
                "select count(*) from call_view",
                "select id, name from engineer",
                "select coalesce(max(seq), 0) * 2 from feed",
                "update rebuild_run set records_read = $2 returning id")) {
            assertTrue(!STAR_COLUMNS.matcher(query).find(), query);
        }
    }

    private static List<String> starQueries(Path root, Path file) {
        try {
            List<String> found = new ArrayList<>();
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher star = STAR_COLUMNS.matcher(lines.get(i));
                if (star.find()
                        && !lines.get(i).trim().startsWith("*")
                        && !lines.get(i).trim().startsWith("//")) {
                    found.add(root.relativize(file) + ":" + (i + 1) + ": "
                            + lines.get(i).trim());
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
