package org.euidsdk

import java.util.concurrent.atomic.AtomicLongArray
import java.util.logging.Level
import java.util.logging.LogManager
import java.util.logging.Logger
import org.euidsdk.internal.LogLevel
import org.euidsdk.internal.LogRecord as NativeRecord
import org.euidsdk.internal.LogSink
import org.euidsdk.internal.setLogLevel as nativeSetLogLevel
import org.euidsdk.internal.setLogSink as nativeSetLogSink

/**
 * The bridge from the native library's log records to the `org.euidsdk` JUL logger: installed
 * once, on the first [sync], and kept in step with the logger's effective level afterwards.
 */
internal object LogBridge {
    /** Held strongly: `LogManager` keeps loggers weakly, and a collected one loses its level. */
    val logger: Logger = Logger.getLogger(LOGGER_NAME)

    /** Records the native library handed over, by [LogLevel] ordinal (for tests and diagnosis). */
    val crossed = AtomicLongArray(LogLevel.entries.size)

    /** Whether the sink is installed. Guarded by this object. */
    private var installed = false

    /** The level the native library was last told; meaningful once [installed]. */
    private var forwarded: LogLevel? = null

    /** Sets the logger's level, then [sync]s. */
    fun setLevel(level: Level?) {
        logger.level = level
        sync()
    }

    /**
     * Installs the sink on the first call and tells the native library the most verbose level
     * the logger now accepts; later calls make an FFI call only when that level changed. Never
     * throws: logging must not break the SDK.
     */
    @Synchronized
    fun sync() {
        try {
            val level = forwardedLevel(effectiveLevel(logger))
            if (!installed) {
                val forwarding = nativeSetLogSink(Sink, level)
                installed = true
                forwarded = level
                // `readConfiguration` resets every level: follow it.
                LogManager.getLogManager().addConfigurationListener(::sync)
                if (!forwarding) {
                    logger.config("another Rust logger is installed in this process; it gets the EUID SDK's records")
                }
            } else if (level != forwarded) {
                forwarded = level
                nativeSetLogLevel(level)
            }
        } catch (_: Throwable) {
            // A native library that cannot load fails the client's first call instead.
        }
    }

    /** The JUL level a native record is logged at. */
    fun julLevel(level: LogLevel): Level = when (level) {
        LogLevel.ERROR -> Level.SEVERE
        LogLevel.WARN -> Level.WARNING
        LogLevel.INFO -> Level.INFO
        LogLevel.DEBUG -> Level.FINE
        LogLevel.TRACE -> Level.FINEST
    }

    /** The most verbose native level whose JUL level passes [threshold]; null for none. */
    fun forwardedLevel(threshold: Level): LogLevel? =
        LogLevel.entries.lastOrNull { julLevel(it).intValue() >= threshold.intValue() }

    /** The level [logger] filters at: its own, or its nearest ancestor's. */
    private fun effectiveLevel(logger: Logger): Level {
        var current: Logger? = logger
        while (current != null) {
            current.level?.let { return it }
            current = current.parent
        }
        return Level.INFO
    }

    /** Called on the SDK's runtime threads; never throws into Rust. */
    private object Sink : LogSink {
        override fun log(record: NativeRecord) {
            try {
                crossed.incrementAndGet(record.level.ordinal)
                val level = julLevel(record.level)
                if (!logger.isLoggable(level)) return
                val jul = java.util.logging.LogRecord(level, record.message)
                jul.loggerName = LOGGER_NAME
                // Names the Rust module, and spares JUL walking this callback's stack.
                jul.sourceClassName = record.target
                jul.sourceMethodName = null
                logger.log(jul)
            } catch (_: Throwable) {
                // A failing handler or filter must not fail the SDK's call.
            }
        }

        override fun toString(): String = "LogBridge.Sink($LOGGER_NAME)"
    }
}
