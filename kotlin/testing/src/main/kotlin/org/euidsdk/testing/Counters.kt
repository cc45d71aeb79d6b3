package org.euidsdk.testing

/**
 * One token endpoint's [requests] since the last reset and how they ended: by the answer's
 * status (`success`, `optout`, `client_error`, ...) or the fault injected (`fault_status`, ...).
 */
data class EndpointCounts(val requests: Long, val outcomes: Map<String, Long>) {
    /** How many requests ended with [outcome] (0 if none did). */
    fun outcome(outcome: String): Long = outcomes[outcome] ?: 0

    internal companion object {
        fun fromJson(json: Map<*, *>) = EndpointCounts(
            requests = (json["requests"] as Number).toLong(),
            outcomes = (json["outcomes"] as Map<*, *>).entries.associate { (k, v) -> k as String to (v as Number).toLong() },
        )
    }
}

/** The request counters of the three token endpoints. */
data class Counters(val generate: EndpointCounts, val refresh: EndpointCounts, val validate: EndpointCounts) {
    internal companion object {
        fun fromJson(json: Map<*, *>) = Counters(
            generate = EndpointCounts.fromJson(json["generate"] as Map<*, *>),
            refresh = EndpointCounts.fromJson(json["refresh"] as Map<*, *>),
            validate = EndpointCounts.fromJson(json["validate"] as Map<*, *>),
        )
    }
}

/**
 * The emulator's clock: its now and its offset from this machine's clock (epoch ms), whether it
 * is frozen, and whether answers carry a `Date` header.
 */
data class EmulatorClock(val nowMs: Long, val offsetMs: Long, val isFrozen: Boolean, val dateHeader: Boolean) {
    internal companion object {
        fun fromJson(json: Map<*, *>) = EmulatorClock(
            nowMs = (json["now_ms"] as Number).toLong(),
            offsetMs = (json["offset_ms"] as Number).toLong(),
            isFrozen = json["frozen"] as Boolean,
            dateHeader = json["date_header"] as Boolean,
        )
    }
}
