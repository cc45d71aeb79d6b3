package org.euidsdk

import com.sun.jna.Native
import com.sun.jna.Pointer
import java.lang.ref.Reference
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.charset.CharacterCodingException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong
import java.util.logging.Level
import java.util.logging.Logger
import kotlin.concurrent.thread
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.asExecutor
import kotlinx.coroutines.suspendCancellableCoroutine
import org.euidsdk.internal.FfiConverter
import org.euidsdk.internal.FfiConverterTypeEuidError
import org.euidsdk.internal.doorOperations

/** The operations of the door that this package calls; each one's name is its own in lower case. */
internal enum class Op {
    HASH_EMAIL,
    HASH_PHONE,
    NORMALIZE_EMAIL,
    NORMALIZE_PHONE,
    NORMALIZE_EMAIL_HASH,
    NORMALIZE_PHONE_HASH,
    HASH_EMAILS,
    ENVELOPE_SEAL_REQUEST,
    ENVELOPE_OPEN_REQUEST,
    ENVELOPE_SEAL_RESPONSE,
    DECRYPT_GENERATE_RESPONSE,
    DECRYPT_REFRESH_RESPONSE,
    CLIENT_GENERATE,
    CLIENT_REFRESH,
    CLIENT_VALIDATE,
    MANAGER_ESTABLISH,
    MANAGER_ADVERTISING_TOKEN,
    MANAGER_LOGOUT,
    MANAGER_STATUS,
    MANAGER_IDENTITY,
}

/**
 * The door (bindings/src/door/): every operation of the native library through one C entry point,
 * bound as JNI functions with primitive arguments only. The arguments are written by the
 * generated converters into a per-thread native buffer, and a result that fits comes back in the
 * same buffer, so a small call allocates nothing native and frees nothing.
 *
 * - [call]: the blocking form, one hand-off (the library runs the operation on this thread).
 * - [await] and [future]: the `suspend` and [CompletableFuture] forms: the library starts the
 *   operation and posts its result to the one completion queue ([Completions]).
 *
 * A result is one tag byte, then the value or the generated error, thrown as its [EuidException].
 */
internal object Door {
    /** Codes of the [Op]s, by ordinal: their indexes in the library's table. */
    internal val codes: IntArray

    init {
        // The library file the generated bindings use too, loaded for JNI so that the `external`
        // functions below bind as plain JNI calls (bindings/src/door/jni.rs): no JNA dispatch on
        // the hot path.
        NativePlatform.load()
        codes = resolve(doorOperations())
    }

    // Not `internal`: the JVM binds each by its name (`Java_org_euidsdk_Door_euid_1call`...), which
    // Kotlin mangles for internal members.
    @JvmStatic
    external fun euid_call(
        op: Int, target: Long, args: Long, argsLen: Long, out: Long, outCap: Long, outLen: Long,
    ): Long

    @JvmStatic
    external fun euid_submit(op: Int, target: Long, args: Long, argsLen: Long, queue: Long, ticket: Long): Int

    @JvmStatic
    external fun euid_free(buf: Long, len: Long)

    @JvmStatic
    external fun euid_queue_new(): Long

    @JvmStatic
    external fun euid_queue_take(queue: Long, timeoutMs: Long, outLen: Long): Long

    /**
     * The code of each [Op] in [names] (the library's table, in code order).
     *
     * @throws IllegalStateException an operation is missing: the library and these bindings are
     *   from different builds.
     */
    fun resolve(names: List<String>): IntArray {
        val missing = Op.entries.filter { it.name.lowercase() !in names }
        check(missing.isEmpty()) {
            "the native library euid_ffi lacks the operations ${missing.map { it.name.lowercase() }} that " +
                "$CLIENT_VERSION (bindings of UniFFI $UNIFFI_VERSION) calls; it has $names. The library " +
                "is from another build than these bindings: rebuild them together."
        }
        return IntArray(Op.entries.size) { names.indexOf(Op.entries[it].name.lowercase()) }
    }

    /** Runs [op] on [target] (0 for a free function) on this thread; its result read by [read]. */
    inline fun <T> call(op: Op, target: Long, args: Args, read: (ByteBuffer) -> T): T {
        val scratch = Scratch.take()
        try {
            val buf = scratch.args(args.size)
            write(args, buf)
            val result = euid_call(
                codes[op.ordinal], target, scratch.argsAddress, buf.position().toLong(),
                scratch.outAddress, OUT_CAP, scratch.lenAddress,
            )
            val len = scratch.resultLen()
            return if (result == 0L) decode(scratch.out(len), read) else taken(result, len) { decode(it, read) }
        } finally {
            scratch.release()
        }
    }

    /** [op] as a `suspend` call. Cancelled, it returns at once and its result is dropped on arrival. */
    suspend fun <T> await(op: Op, target: Long, args: Args, read: (ByteBuffer) -> T): T =
        suspendCancellableCoroutine { continuation ->
            val ticket = Completions.expect { result -> continuation.resumeWith(runCatching { decode(result, read) }) }
            continuation.invokeOnCancellation { Completions.forget(ticket) }
            submit(op, target, args, ticket)
        }

    /**
     * [op] as a [CompletableFuture]. It completes on [Dispatchers.Default], so that its dependent
     * stages never hold up the completion thread.
     */
    fun <T> future(op: Op, target: Long, args: Args, read: (ByteBuffer) -> T): CompletableFuture<T> {
        val future = CompletableFuture<T>()
        val ticket = Completions.expect { result ->
            val value = runCatching { decode(result, read) }
            Completions.executor.execute { value.fold(future::complete, future::completeExceptionally) }
        }
        try {
            submit(op, target, args, ticket)
        } catch (err: Throwable) {
            future.completeExceptionally(err)
        }
        return future
    }

    /** Starts [op]; its result goes to the completion queue under [ticket], which is forgotten if it fails. */
    private fun submit(op: Op, target: Long, args: Args, ticket: Long) {
        val scratch = Scratch.take()
        try {
            val buf = scratch.args(args.size)
            write(args, buf)
            val queue = Completions.queue
            if (euid_submit(codes[op.ordinal], target, scratch.argsAddress, buf.position().toLong(), queue, ticket) != 0) {
                throw internalError("the native library refused a call: its completion queue is closed")
            }
        } catch (err: Throwable) {
            Completions.forget(ticket)
            throw err
        } finally {
            scratch.release()
        }
    }

    /** Writes [args] into [buf]; a string with a lone surrogate is an [InvalidInputException]. */
    fun write(args: Args, buf: ByteBuffer) = try {
        args.write(buf)
    } catch (_: CharacterCodingException) {
        throw notUtf16()
    }

    /** A result: [RESULT_OK] and the value, or [RESULT_ERR] and the error, thrown. */
    inline fun <T> decode(buf: ByteBuffer, read: (ByteBuffer) -> T): T {
        val value = when (buf.get()) {
            RESULT_OK -> read(buf)
            RESULT_ERR -> throw FfiConverterTypeEuidError.read(buf).toPublic()
            else -> throw internalError("the native library gave an unknown result")
        }
        if (buf.hasRemaining()) throw internalError("the native library gave a malformed result")
        return value
    }

    /** Runs [block] on the result buffer the library returned at [address], then frees it. */
    inline fun <T> taken(address: Long, len: Long, block: (ByteBuffer) -> T): T = try {
        block(Pointer(address).getByteBuffer(0, len).order(ByteOrder.BIG_ENDIAN))
    } finally {
        euid_free(address, len)
    }

    internal fun internalError(message: String) = InternalErrorException(ErrorKind.INTERNAL, message)

    /** The UniFFI version the bindings were generated with (the workspace pins it). */
    const val UNIFFI_VERSION = "0.32.2"

    const val RESULT_OK: Byte = 0
    const val RESULT_ERR: Byte = 1

    /** Bytes of the per-thread buffer for the arguments. */
    const val ARGS_CAP = 4096

    /** Bytes of the per-thread buffer for a result; a longer one comes in a buffer of its own. */
    const val OUT_CAP = 4096L
}

/** The arguments of a door call: at most [size] bytes, written by [write] with the generated converters. */
internal class Args(val size: Int, val write: (ByteBuffer) -> Unit)

/** The most bytes [value] takes in UniFFI's layout. */
internal fun <T> FfiConverter<T, *>.sizeOf(value: T): Int = allocationSize(value).toInt()

/**
 * A thread's native memory for door calls: the result length, the arguments and the result. A
 * call made while the thread's own is in use (a store that hashes an email inside a manager
 * call) gets a fresh one.
 */
internal class Scratch {
    private val memory: ByteBuffer = ByteBuffer.allocateDirect(LEN_BYTES + Door.ARGS_CAP + Door.OUT_CAP.toInt())
    private val address: Long = Pointer.nativeValue(Native.getDirectBufferPointer(memory))
    private val lenView: ByteBuffer = memory.duplicate().order(ByteOrder.nativeOrder())
    private val own: ByteBuffer = memory.slice(LEN_BYTES, Door.ARGS_CAP)
    private val outBuf: ByteBuffer = memory.slice(LEN_BYTES + Door.ARGS_CAP, Door.OUT_CAP.toInt())

    /** The arguments of a call too large for [own]; held until [release]. */
    private var large: ByteBuffer? = null
    private var busy = false

    val lenAddress: Long get() = address
    val outAddress: Long get() = address + LEN_BYTES + Door.ARGS_CAP
    var argsAddress: Long = 0
        private set

    /** An empty argument buffer of at least [size] bytes. */
    fun args(size: Int): ByteBuffer {
        if (size <= Door.ARGS_CAP) {
            argsAddress = address + LEN_BYTES
            return own.clear()
        }
        val buf = ByteBuffer.allocateDirect(size)
        large = buf
        argsAddress = Pointer.nativeValue(Native.getDirectBufferPointer(buf))
        return buf
    }

    /** The result length the library wrote (`size_t`, native byte order). */
    fun resultLen(): Long = lenView.getLong(0)

    /** The result the library wrote into this buffer. */
    fun out(len: Long): ByteBuffer = outBuf.clear().limit(len.toInt())

    fun release() {
        Reference.reachabilityFence(large)
        large = null
        busy = false
        Reference.reachabilityFence(memory)
    }

    companion object {
        private const val LEN_BYTES = 8
        private val perThread: ThreadLocal<Scratch> = ThreadLocal.withInitial(::Scratch)

        /** This thread's buffer, or a fresh one when it is in use. */
        fun take(): Scratch {
            val scratch = perThread.get().let { if (it.busy) Scratch() else it }
            scratch.busy = true
            return scratch
        }
    }
}

/**
 * The one completion path of every `suspend` and [CompletableFuture] call: one queue for the
 * process and one daemon thread, `euid-sdk-completions`, that waits in the library (no timeout,
 * no polling) and hands each result to the call that expects it.
 */
internal object Completions {
    val queue: Long = Door.euid_queue_new()
    private val tickets = AtomicLong()
    private val waiting = ConcurrentHashMap<Long, (ByteBuffer) -> Unit>()
    private val log = Logger.getLogger(LOGGER_NAME)

    /** Where [CompletableFuture]s complete. */
    val executor = Dispatchers.Default.asExecutor()

    init {
        check(queue != 0L) { "the native library could not make a completion queue" }
        thread(name = "euid-sdk-completions", isDaemon = true) { deliver() }
    }

    /** A new ticket, whose result goes to [done] on the completion thread. */
    fun expect(done: (ByteBuffer) -> Unit): Long {
        val ticket = tickets.incrementAndGet()
        waiting[ticket] = done
        return ticket
    }

    /** Drops [ticket]: its result, if it comes, is discarded. */
    fun forget(ticket: Long) {
        waiting.remove(ticket)
    }

    /** The number of results expected, for tests. */
    val expected: Int get() = waiting.size

    private fun deliver() {
        val lenBuf = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder())
        val lenAddress = Pointer.nativeValue(Native.getDirectBufferPointer(lenBuf))
        while (true) {
            val batch = Door.euid_queue_take(queue, -1, lenAddress)
            if (batch == 0L) {
                // Only a closed queue gives nothing after an unbounded wait; this one is never closed.
                log.severe("the SDK's completion queue was closed; suspend and future calls stop completing")
                return
            }
            Door.taken(batch, lenBuf.getLong(0)) { records ->
                while (records.hasRemaining()) {
                    val ticket = records.getLong()
                    val len = records.getInt()
                    val result = records.slice(records.position(), len)
                    records.position(records.position() + len)
                    try {
                        waiting.remove(ticket)?.invoke(result)
                    } catch (err: Throwable) {
                        log.log(Level.SEVERE, "the SDK's completion thread failed to complete a call", err)
                    }
                }
            }
        }
    }
}
