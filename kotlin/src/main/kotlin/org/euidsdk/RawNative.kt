package org.euidsdk

import com.sun.jna.Native
import com.sun.jna.Pointer
import java.lang.ref.Cleaner
import java.nio.ByteBuffer
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong
import java.util.logging.Level
import java.util.logging.Logger
import kotlin.concurrent.thread
import kotlin.coroutines.resume
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.suspendCancellableCoroutine
import org.euidsdk.internal.DiiInput
import org.euidsdk.internal.FfiConverter
import org.euidsdk.internal.FfiConverterOptionalString
import org.euidsdk.internal.FfiConverterTypeDiiInput
import org.euidsdk.internal.FfiConverterTypeEuidError
import org.euidsdk.internal.FfiConverterTypeGenerateOutcome
import org.euidsdk.internal.FfiConverterTypeIdentity
import org.euidsdk.internal.FfiConverterTypeRefreshOutcome
import org.euidsdk.internal.GenerateOutcome
import org.euidsdk.internal.InternalException as NativePanic
import org.euidsdk.internal.PublisherClient as NativeClient
import org.euidsdk.internal.RefreshOutcome
import org.euidsdk.internal.Identity as NativeIdentity

/**
 * The native library's plain C entry points (bindings/src/raw.rs), bound with JNA direct
 * mapping. A UniFFI call through JNA allocates and reflects over structures for its status and
 * every string or record: 25–40 µs of CPU per call. These take and give byte arrays instead:
 * about 0.4 µs for one email hash, and the client calls with their arguments and results in
 * UniFFI's own layout, written and read by the generated converters.
 */
internal object RawNative {
    /** Length of a base64 SHA-256 hash. */
    const val HASH_LEN = 44

    /** First byte of a result buffer: the rest is the value. */
    const val RESULT_OK: Byte = 0

    /** First byte of a result buffer: the rest is an error. */
    const val RESULT_ERR: Byte = 1

    @JvmStatic
    external fun euid_hash_email_raw(email: ByteArray, len: Long, out: ByteArray): Int

    @JvmStatic
    external fun euid_client_generate_raw(client: Long, args: ByteArray, len: Long, outLen: LongArray): Pointer?

    @JvmStatic
    external fun euid_client_refresh_raw(client: Long, args: ByteArray, len: Long, outLen: LongArray): Pointer?

    @JvmStatic
    external fun euid_client_generate_submit_raw(client: Long, args: ByteArray, len: Long, mailbox: Long, ticket: Long): Int

    @JvmStatic
    external fun euid_client_refresh_submit_raw(client: Long, args: ByteArray, len: Long, mailbox: Long, ticket: Long): Int

    @JvmStatic
    external fun euid_mailbox_new_raw(): Long

    @JvmStatic
    external fun euid_mailbox_wait_raw(mailbox: Long, timeoutMs: Long, outLen: LongArray): Pointer?

    @JvmStatic
    external fun euid_client_release_raw(client: Long)

    @JvmStatic
    external fun euid_envelope_seal_request_raw(args: ByteArray, len: Long, outLen: LongArray): Pointer?

    @JvmStatic
    external fun euid_envelope_open_request_raw(args: ByteArray, len: Long, outLen: LongArray): Pointer?

    @JvmStatic
    external fun euid_envelope_seal_response_raw(args: ByteArray, len: Long, outLen: LongArray): Pointer?

    @JvmStatic
    external fun euid_decrypt_generate_response_raw(args: ByteArray, len: Long, outLen: LongArray): Pointer?

    @JvmStatic
    external fun euid_decrypt_refresh_response_raw(args: ByteArray, len: Long, outLen: LongArray): Pointer?

    @JvmStatic
    external fun euid_raw_free(buf: Pointer, len: Long)

    init {
        // The library UniFFI loads (same name, same override property), so JNA shares it.
        val name = System.getProperty("uniffi.component.euid.libraryOverride") ?: "euid_ffi"
        Native.register(RawNative::class.java, name)
    }

    /** Calls a function taking [args] and returning a result buffer; its value, or the error. */
    inline fun <T> call(
        args: ByteBuffer,
        entry: (ByteArray, Long, LongArray) -> Pointer?,
        read: (ByteBuffer) -> T,
    ): T {
        val outLen = LongArray(1)
        val result = entry(args.array(), args.position().toLong(), outLen)
            ?: throw NativePanic("the native library refused a call")
        return decode(ByteBuffer.wrap(take(result, outLen[0])), read)
    }

    /** A result buffer: [RESULT_OK] and the value, or [RESULT_ERR] and the error, thrown. */
    inline fun <T> decode(buf: ByteBuffer, read: (ByteBuffer) -> T): T {
        val value = when (buf.get()) {
            RESULT_OK -> read(buf)
            RESULT_ERR -> throw FfiConverterTypeEuidError.read(buf)
            else -> throw NativePanic("the native library gave an unknown result")
        }
        if (buf.hasRemaining()) throw NativePanic("the native library gave a malformed result")
        return value
    }

    /** Copies a buffer the library returned, and frees it. */
    fun take(buf: Pointer, len: Long): ByteArray = try {
        buf.getByteArray(0, len.toInt())
    } finally {
        euid_raw_free(buf, len)
    }

    /** The email's hash, or null when it is invalid (the UniFFI call then gives the error). */
    fun hashEmail(email: String): String? {
        val bytes = email.toByteArray(Charsets.UTF_8)
        val out = ByteArray(HASH_LEN)
        return if (euid_hash_email_raw(bytes, bytes.size.toLong(), out) == 0) {
            String(out, Charsets.US_ASCII)
        } else {
            null
        }
    }
}

/** One argument of a raw call, written by its generated converter. */
internal class RawArg<T>(private val converter: FfiConverter<T, *>, private val value: T) {
    fun size(): ULong = converter.allocationSize(value)

    fun write(buf: ByteBuffer) = converter.write(value, buf)
}

/** The argument bytes of a raw call, in order. */
internal fun rawArgs(vararg args: RawArg<*>): ByteBuffer {
    var size = 0UL
    for (arg in args) size += arg.size()
    val buf = ByteBuffer.allocate(size.toInt())
    for (arg in args) arg.write(buf)
    return buf
}

/**
 * Generate and refresh of a native client through [RawNative], blocking and suspending. Holds
 * its own reference to the client, given back by [close] once no call is running (or by a
 * cleaner if never closed). Failures throw the generated exceptions, as the UniFFI calls do.
 */
internal class RawClient private constructor(
    private val handle: Handle,
    private val cleanable: Cleaner.Cleanable,
) : AutoCloseable {
    /** The client reference, given back when the last call is over and it is closed. */
    private class Handle(val value: Long) : Runnable {
        /** Calls running, plus one while open. */
        private val users = AtomicLong(1)

        inline fun <T> use(block: (Long) -> T): T {
            do {
                val count = users.get()
                check(count != 0L) { "PublisherClient has been closed" }
            } while (!users.compareAndSet(count, count + 1))
            try {
                return block(value)
            } finally {
                release()
            }
        }

        /** Closes: run once, by [close] or by the cleaner. */
        override fun run() = release()

        fun release() {
            if (users.decrementAndGet() == 0L) RawNative.euid_client_release_raw(value)
        }
    }

    fun generate(dii: DiiInput, tcfConsentString: String?): GenerateOutcome =
        call(generateArgs(dii, tcfConsentString), RawNative::euid_client_generate_raw, FfiConverterTypeGenerateOutcome::read)

    suspend fun generateAsync(dii: DiiInput, tcfConsentString: String?): GenerateOutcome =
        submit(generateArgs(dii, tcfConsentString), RawNative::euid_client_generate_submit_raw, FfiConverterTypeGenerateOutcome::read)

    fun refresh(identity: NativeIdentity): RefreshOutcome =
        call(refreshArgs(identity), RawNative::euid_client_refresh_raw, FfiConverterTypeRefreshOutcome::read)

    suspend fun refreshAsync(identity: NativeIdentity): RefreshOutcome =
        submit(refreshArgs(identity), RawNative::euid_client_refresh_submit_raw, FfiConverterTypeRefreshOutcome::read)

    override fun close() = cleanable.clean()

    private fun generateArgs(dii: DiiInput, tcfConsentString: String?) =
        rawArgs(RawArg(FfiConverterTypeDiiInput, dii), RawArg(FfiConverterOptionalString, tcfConsentString))

    private fun refreshArgs(identity: NativeIdentity) = rawArgs(RawArg(FfiConverterTypeIdentity, identity))

    private inline fun <T> call(
        args: ByteBuffer,
        entry: (Long, ByteArray, Long, LongArray) -> Pointer?,
        read: (ByteBuffer) -> T,
    ): T = handle.use { client ->
        RawNative.call(args, { bytes, len, outLen -> entry(client, bytes, len, outLen) }, read)
    }

    private suspend inline fun <T> submit(
        args: ByteBuffer,
        crossinline entry: (Long, ByteArray, Long, Long, Long) -> Int,
        read: (ByteBuffer) -> T,
    ): T {
        val result = RawCompletions.await { mailbox, ticket ->
            handle.use { client -> entry(client, args.array(), args.position().toLong(), mailbox, ticket) }
        }
        return RawNative.decode(result, read)
    }

    companion object {
        private val cleaner: Cleaner = Cleaner.create()

        /**
         * A raw view of [client], whose reference it gives back when closed or when [owner]
         * becomes unreachable.
         */
        fun of(client: NativeClient, owner: Any): RawClient {
            val handle = Handle(client.uniffiCloneHandle())
            return RawClient(handle, cleaner.register(owner, handle))
        }
    }
}

/**
 * Results of the calls [RawClient] submits: one daemon thread waits in the library for finished
 * calls and resumes their coroutines. A cancelled call's request still runs to its end (within
 * the client's deadline); its result is dropped.
 */
internal object RawCompletions {
    private val mailbox = RawNative.euid_mailbox_new_raw()
    private val tickets = AtomicLong()
    private val waiting = ConcurrentHashMap<Long, CancellableContinuation<ByteBuffer>>()
    private val log = Logger.getLogger("org.euidsdk")

    init {
        thread(name = "euid-sdk-completions", isDaemon = true) { deliver() }
    }

    /** Submits a call with [submit] (given the mailbox and a ticket) and awaits its result. */
    suspend inline fun await(crossinline submit: (mailbox: Long, ticket: Long) -> Int): ByteBuffer =
        suspendCancellableCoroutine { continuation ->
            val ticket = register(continuation)
            val submitted = try {
                submit(mailboxHandle(), ticket)
            } catch (err: Throwable) {
                unregister(ticket)
                throw err
            }
            if (submitted != 0) {
                unregister(ticket)
                throw NativePanic("the native library refused a call")
            }
        }

    @PublishedApi
    internal fun mailboxHandle(): Long = mailbox

    @PublishedApi
    internal fun register(continuation: CancellableContinuation<ByteBuffer>): Long {
        val ticket = tickets.incrementAndGet()
        waiting[ticket] = continuation
        continuation.invokeOnCancellation { waiting.remove(ticket) }
        return ticket
    }

    @PublishedApi
    internal fun unregister(ticket: Long) {
        waiting.remove(ticket)
    }

    private fun deliver() {
        val outLen = LongArray(1)
        while (true) {
            try {
                val records = RawNative.euid_mailbox_wait_raw(mailbox, 60_000, outLen) ?: continue
                val buf = ByteBuffer.wrap(RawNative.take(records, outLen[0]))
                while (buf.hasRemaining()) {
                    val ticket = buf.getLong()
                    val len = buf.getInt()
                    val result = buf.slice(buf.position(), len)
                    buf.position(buf.position() + len)
                    waiting.remove(ticket)?.resume(result)
                }
            } catch (err: Throwable) {
                log.log(Level.SEVERE, "the SDK's completion thread failed", err)
            }
        }
    }
}
