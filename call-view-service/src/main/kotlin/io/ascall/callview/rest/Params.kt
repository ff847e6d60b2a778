package io.ascall.callview.rest

import io.ascall.problem.CommonProblemType
import io.ascall.problem.FieldError
import io.ascall.problem.Problem
import java.util.UUID

/**
 * Path and query parameters, parsed here rather than by JAX-RS (which would answer a malformed one
 * with a bare 404): every wrong one is named in one 400 `validation` problem.
 */
class Params {

    private val errors = mutableListOf<FieldError>()

    fun int(field: String, value: String, min: Int, max: Int): Int {
        val parsed = value.toIntOrNull()
        if (parsed != null && parsed in min..max) return parsed
        errors +=
            FieldError(
                field,
                if (max == Int.MAX_VALUE) "must be a whole number, $min or more"
                else "must be a whole number from $min to $max",
            )
        return min
    }

    fun uuid(field: String, value: String?): UUID? = value?.let {
        try {
            UUID.fromString(it)
        } catch (e: IllegalArgumentException) {
            errors += FieldError(field, "must be a UUID")
            null
        }
    }

    fun text(field: String, value: String?, maxLength: Int): String? {
        if (value != null && (value.isBlank() || value.length > maxLength)) {
            errors += FieldError(field, "must be 1 to $maxLength characters")
        }
        return value
    }

    inline fun <reified E : Enum<E>> enum(field: String, value: String?): E? {
        if (value == null) return null
        val constant = enumValues<E>().firstOrNull { it.name == value }
        if (constant == null) reject(field, "must be one of ${enumValues<E>().joinToString(", ")}")
        return constant
    }

    fun reject(field: String, message: String) {
        errors += FieldError(field, message)
    }

    /** Throws the 400 when any parameter was wrong. */
    fun check() {
        if (errors.isNotEmpty()) throw Problem.invalid(errors).toException()
    }

    companion object {
        /** A call id in a path: anything else names no call, so it is a 404 like an unknown id. */
        fun callId(id: String): UUID =
            try {
                UUID.fromString(id)
            } catch (e: IllegalArgumentException) {
                throw Problem.of(CommonProblemType.NOT_FOUND, "No call $id (call ids are UUIDs)")
                    .toException()
            }
    }
}
