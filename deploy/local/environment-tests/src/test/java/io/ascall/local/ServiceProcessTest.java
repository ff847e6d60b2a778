package io.ascall.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessTest {

    @TempDir
    static Path folder;

    private static Path jar;

    @BeforeAll
    static void packageFakeService() throws Exception {
        jar = folder.resolve("fake-service.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        String entry = FakeService.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest);
                InputStream classBytes = FakeService.class.getClassLoader().getResourceAsStream(entry)) {
            jarOut.putNextEntry(new JarEntry(entry));
            classBytes.transferTo(jarOut);
            jarOut.closeEntry();
        }
    }

    @Test
    void startsWithItsConfigurationWaitsUntilReadyAndRestartsOnTheSamePort() throws Exception {
        Path log = folder.resolve("configured.log");
        try (ServiceProcess service = ServiceProcess.forJar(jar)
                .config("fake.greeting", "hello")
                .env("FAKE_ENV", "from-env")
                .logFile(log)
                .start()
                .awaitReady(Duration.ofSeconds(20))) {
            int port = service.port();
            assertTrue(port > 0);
            assertEquals(URI.create("http://127.0.0.1:" + port), service.baseUri());
            String health = get(service.baseUri().resolve("/q/health/ready"));
            assertTrue(health.contains("\"greeting\":\"hello\""), health);
            assertTrue(health.contains("\"env\":\"from-env\""), health);
            assertTrue(service.logTail(5).contains("fake service listening on 127.0.0.1:" + port), service.logTail(5));

            service.restart().awaitReady(Duration.ofSeconds(20));
            assertEquals(port, service.port());
            assertTrue(get(service.baseUri().resolve("/q/health/ready")).contains("hello"));

            service.kill();
            assertFalse(service.isAlive());
        }
        assertTrue(Files.readString(log).contains("=== "), "each start is marked in the log");
    }

    @Test
    void endsWhenTheProcessThatStartedItIsGone() throws Exception {
        try (ServiceProcess service = ServiceProcess.forJar(jar)
                .logFile(folder.resolve("orphan.log"))
                .start()
                .awaitReady(Duration.ofSeconds(20))) {
            service.simulateParentDeath();
            ProcessHandle handle = ProcessHandle.of(service.pid()).orElseThrow();
            handle.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(service.isAlive());
        }
    }

    @Test
    void reportsAProcessThatExitsWithTheEndOfItsLog() {
        try (ServiceProcess service = ServiceProcess.forJar(jar)
                .name("failing-service")
                .config("fake.fail", "true")
                .logFile(folder.resolve("failing.log"))
                .start()) {
            IllegalStateException failure =
                    assertThrows(IllegalStateException.class, () -> service.awaitReady(Duration.ofSeconds(20)));
            assertTrue(
                    failure.getMessage().contains("failing-service exited with code 3 before it was ready"),
                    failure.getMessage());
            assertTrue(failure.getMessage().contains("fake failure on purpose"), failure.getMessage());
        }
    }

    @Test
    void reportsAServiceThatIsNotReadyInTime() {
        try (ServiceProcess service = ServiceProcess.forJar(jar)
                .config("fake.ready", "false")
                .logFile(folder.resolve("unready.log"))
                .start()) {
            IllegalStateException failure =
                    assertThrows(IllegalStateException.class, () -> service.awaitReady(Duration.ofSeconds(3)));
            assertTrue(failure.getMessage().contains("was not ready within 3 s"), failure.getMessage());
            assertTrue(failure.getMessage().contains("HTTP 503"), failure.getMessage());
        }
    }

    @Test
    void saysWhatToBuildWhenAServiceIsNotPackaged() {
        IllegalStateException notPackaged =
                assertThrows(IllegalStateException.class, () -> ServiceProcess.forModule("no-such-service"));
        assertTrue(
                notPackaged.getMessage().contains("./mvnw -B -pl no-such-service -am package -DskipTests"),
                notPackaged.getMessage());

        IllegalStateException noJar = assertThrows(
                IllegalStateException.class,
                () -> ServiceProcess.forJar(folder.resolve("missing.jar")).start());
        assertTrue(noJar.getMessage().contains("missing.jar does not exist"), noJar.getMessage());
    }

    private static String get(URI uri) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
