package io.ascall.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File helpers the JDK lacks. */
final class Folders {

    private Folders() {}

    /** Deletes a folder and everything in it; reports (does not throw) what cannot be deleted. */
    static void deleteRecursively(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    System.err.println("[ascall] cannot delete " + path + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            System.err.println("[ascall] cannot delete " + folder + ": " + e.getMessage());
        }
    }
}
