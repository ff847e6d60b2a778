package io.ascall.callview.config

import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.module.kotlin.KotlinModule
import io.quarkus.jackson.ObjectMapperCustomizer
import jakarta.inject.Singleton

/**
 * Kotlin's nullability and default values for Jackson (the quarkus-kotlin extension would register
 * this module; it is not available here). The API takes no request body; this is for the JSON the
 * service writes and reads itself (a rebuild's progress).
 */
@Singleton
class KotlinJson : ObjectMapperCustomizer {
    override fun customize(mapper: ObjectMapper) {
        mapper.registerModule(KotlinModule.Builder().build())
    }
}
