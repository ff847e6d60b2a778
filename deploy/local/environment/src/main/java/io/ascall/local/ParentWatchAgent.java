package io.ascall.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A Java agent given to every service the local environment starts ({@code -javaagent}): it ends
 * the service when its standard input reaches end of file, that is when the process that started
 * it is gone, even after a SIGKILL. Quarkus services know nothing of this; without it a killed
 * test run or {@code deploy/local/up} would leave services running on their ports.
 *
 * <p>The exit is {@code System.exit(0)}, so the service still shuts down cleanly.
 */
public final class ParentWatchAgent {

    private static Path jar;

    private ParentWatchAgent() {}

    /** Entry point of the agent in the service's JVM. */
    public static void premain(String arguments) {
        Thread watcher = new Thread(ParentWatchAgent::exitAtEndOfInput, "ascall-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void exitAtEndOfInput() {
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // nothing is ever sent: the pipe only tells whether the parent is alive
            }
        } catch (IOException e) {
            // a broken pipe means the same as end of file: the parent is gone
        }
        System.err.println(
                "[ascall] standard input closed (stopped by the launcher, or the launcher is gone): shutting down");
        System.exit(0);
    }

    /**
     * A jar holding only this class: the service's JVM must not see the rest of the local
     * environment (or its dependencies) on its class path. Written once into the temporary
     * folder, named by a hash of its content, and reused by every later run and JVM (it is
     * never deleted, so a killed run leaves nothing behind either).
     */
    static synchronized Path jar() {
        if (jar == null) {
            String entry = ParentWatchAgent.class.getName().replace('.', '/') + ".class";
            try (InputStream in = ParentWatchAgent.class.getClassLoader().getResourceAsStream(entry)) {
                if (in == null) {
                    throw new IllegalStateException("Cannot read " + entry + " from the class path");
                }
                byte[] classBytes = in.readAllBytes();
                // per user: the file is private to whoever wrote it first
                Path file = Path.of(
                        System.getProperty("java.io.tmpdir"),
                        "ascall-parent-watch-" + System.getProperty("user.name") + "-" + hash(classBytes) + ".jar");
                if (!Files.isRegularFile(file)) {
                    write(file, entry, classBytes);
                }
                jar = file;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the parent-watch agent jar", e);
            }
        }
        return jar;
    }

    private static void write(Path file, String entry, byte[] classBytes) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), ParentWatchAgent.class.getName());
        // written aside, then renamed: another JVM may be starting a service with it right now
        Path partial = Files.createTempFile(file.getParent(), "ascall-parent-watch-", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(partial);
                    JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
                jarOut.putNextEntry(new JarEntry(entry));
                jarOut.write(classBytes);
                jarOut.closeEntry();
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
