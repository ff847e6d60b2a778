package io.ascall.callview.health

import io.ascall.local.LocalEnvironment
import io.ascall.local.LocalPostgres
import io.ascall.local.ProjectPaths
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager
import java.nio.file.Files
import java.nio.file.Path

/**
 * A PostgreSQL server of this test class's own (not the JVM's shared one), which a test may stop
 * and start again on the same port with the same data, as a database server restarts or a
 * network partition heals, while the service keeps running.
 */
class StoppablePostgres : QuarkusTestResourceLifecycleManager {

    override fun start(): Map<String, String> {
        folder = Files.createTempDirectory(ProjectPaths.scratchDir(), "stoppable-postgres-")
        val started = LocalPostgres.start(folder.resolve("data"), 0)
        server = started
        port = started.port()
        // the service also needs a broker to start; this test does not publish to it
        return started.datasourceConfig("callview") +
            ("kafka.bootstrap.servers" to LocalEnvironment.shared().kafka().bootstrapServers())
    }

    /** After the shared environment's resources: this database replaces theirs for the annotated class. */
    override fun order() = 100

    override fun stop() {
        stopServer()
        folder.toFile().deleteRecursively()
    }

    companion object {
        private lateinit var folder: Path
        private var port = 0
        private var server: LocalPostgres? = null

        /** Stops the server (open connections are cut, new ones refused); the data stays. */
        @Synchronized
        fun stopServer() {
            server?.close()
            server = null
        }

        /** Starts the server again on the same port, with the same data. */
        @Synchronized
        fun startServer() {
            if (server == null) {
                server = LocalPostgres.start(folder.resolve("data"), port)
            }
        }
    }
}
