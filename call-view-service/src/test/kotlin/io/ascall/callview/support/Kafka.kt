package io.ascall.callview.support

import io.ascall.local.TopicProbe
import java.time.Duration
import org.apache.kafka.clients.consumer.ConsumerRecord
import org.eclipse.microprofile.config.ConfigProvider

/** The topics, as the other services and the tests see them. */
object Kafka {

    const val DEAD_LETTERS = "call-view-service.dlq"

    private val probe: TopicProbe by lazy {
        TopicProbe(
            ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String::class.java)
        )
    }

    /** Publishes the events in this order (events of one topic and call stay in this order). */
    fun send(vararg events: TestEvent) = events.forEach { probe.send(it.topic, it.key, it.json) }

    /** Publishes any record, as a faulty producer might. */
    fun sendRaw(topic: String, key: String, value: String?) = probe.send(topic, key, value)

    /** The records dead-lettered with this key, once there are [count] of them. */
    fun deadLetters(key: String, count: Int): List<ConsumerRecord<String, String>> =
        probe.read(DEAD_LETTERS, key, { it.size >= count }, Duration.ofSeconds(30))

    fun ConsumerRecord<String, String>.header(name: String): String? =
        headers().lastHeader(name)?.value()?.let { String(it, Charsets.UTF_8) }
}
