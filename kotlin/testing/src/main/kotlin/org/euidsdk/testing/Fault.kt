package org.euidsdk.testing

/** The token endpoint a [Fault] applies to. */
enum class FaultEndpoint {
    GENERATE,
    REFRESH,
    VALIDATE,

    /** All three. */
    ANY,
    ;

    internal val json: String get() = name.lowercase()
}

/** What a [Fault] does. */
enum class FaultKind {
    /** Answer a status (default 500), with `Retry-After` and a body if given. */
    STATUS,

    /** Wait, then answer normally. */
    LATENCY,

    /** Close the connection without answering. */
    CLOSE,

    /** HTTP 200 with random bytes. */
    GARBAGE,

    /** HTTP 200 with the first half of the real body. */
    TRUNCATE,

    /** HTTP 200 sealed with another key. */
    WRONG_KEY,

    /** HTTP 200 with another nonce (generate and validate). */
    WRONG_NONCE,

    /** HTTP 502 `text/html`, a load balancer's error page. */
    HTML,
    ;

    internal val json: String get() = name.lowercase()
}

/**
 * A fault the emulator injects into requests to [endpoint], checked in list order before normal
 * processing (the first that matches wins). Made by the factories and narrowed by the modifiers,
 * from Kotlin and Java alike:
 * `Fault.status(503).on(FaultEndpoint.GENERATE).retryAfter(2).times(1)`. The emulator checks
 * the values when [EuidEmulator.setFaults] sends them (a probability outside 0 to 1, an
 * impossible status or a negative number is an [EmulatorException.Kind.CONTROL] error).
 *
 * @property count the next so many matching requests get it; null: all of them.
 * @property probability the chance (0 to 1) that a matching request gets it; null: 1.
 * @property body [FaultKind.STATUS]: a [String] is sent as `text/plain`, a [Map] or [List] as
 *   JSON; null: the operator's 500 body.
 */
@ConsistentCopyVisibility
data class Fault internal constructor(
    val kind: FaultKind,
    val endpoint: FaultEndpoint = FaultEndpoint.ANY,
    val status: Int? = null,
    val retryAfterSeconds: Long? = null,
    val body: Any? = null,
    val latencyMs: Long? = null,
    val count: Long? = null,
    val probability: Double? = null,
) {
    /** This fault on [endpoint] only. */
    fun on(endpoint: FaultEndpoint): Fault = copy(endpoint = endpoint)

    /** This fault for the next [count] matching requests only. */
    fun times(count: Long): Fault = copy(count = count)

    /** This fault with chance [probability] (0 to 1) per matching request. */
    fun withProbability(probability: Double): Fault = copy(probability = probability)

    /** A [FaultKind.STATUS] fault with `Retry-After: seconds`. */
    fun retryAfter(seconds: Long): Fault {
        require(kind == FaultKind.STATUS) { "only a status fault has Retry-After" }
        return copy(retryAfterSeconds = seconds)
    }

    /** A [FaultKind.STATUS] fault with [body]: a [String] (`text/plain`), or a [Map] or [List] (JSON). */
    fun withBody(body: Any): Fault {
        require(kind == FaultKind.STATUS) { "only a status fault has a body" }
        require(body is String || body is Map<*, *> || body is List<*>) { "a body is a String, a Map or a List" }
        return copy(body = body)
    }

    /** The control API's JSON form. */
    internal fun toJson(): Map<String, Any?> = buildMap {
        put("kind", kind.json)
        put("endpoint", endpoint.json)
        status?.let { put("status", it) }
        retryAfterSeconds?.let { put("retry_after", it) }
        body?.let { put("body", it) }
        latencyMs?.let { put("latency_ms", it) }
        count?.let { put("count", it) }
        probability?.let { put("probability", it) }
    }

    companion object {
        /** Answer HTTP [status] (the operator's 500 body unless [withBody]). */
        @JvmStatic
        @JvmOverloads
        fun status(status: Int = 500): Fault = Fault(FaultKind.STATUS, status = status)

        /** Wait [latencyMs], then answer normally. */
        @JvmStatic
        fun latency(latencyMs: Long): Fault = Fault(FaultKind.LATENCY, latencyMs = latencyMs)

        /** Close the connection without answering. */
        @JvmStatic
        fun close(): Fault = Fault(FaultKind.CLOSE)

        /** HTTP 200 with random bytes. */
        @JvmStatic
        fun garbage(): Fault = Fault(FaultKind.GARBAGE)

        /** HTTP 200 with the first half of the real body. */
        @JvmStatic
        fun truncate(): Fault = Fault(FaultKind.TRUNCATE)

        /** HTTP 200 sealed with another key. */
        @JvmStatic
        fun wrongKey(): Fault = Fault(FaultKind.WRONG_KEY)

        /** HTTP 200 with another nonce (generate and validate; refresh answers have none). */
        @JvmStatic
        fun wrongNonce(): Fault = Fault(FaultKind.WRONG_NONCE)

        /** HTTP 502 `text/html`, a load balancer's error page. */
        @JvmStatic
        fun html(): Fault = Fault(FaultKind.HTML)

        /** A fault from the control API's JSON form. */
        internal fun fromJson(json: Map<*, *>): Fault = Fault(
            kind = FaultKind.entries.first { it.json == json["kind"] },
            endpoint = FaultEndpoint.entries.first { it.json == json["endpoint"] },
            status = (json["status"] as Number?)?.toInt(),
            retryAfterSeconds = (json["retry_after"] as Number?)?.toLong(),
            body = json["body"],
            latencyMs = (json["latency_ms"] as Number?)?.toLong(),
            count = (json["count"] as Number?)?.toLong(),
            probability = (json["probability"] as Number?)?.toDouble(),
        )
    }
}
