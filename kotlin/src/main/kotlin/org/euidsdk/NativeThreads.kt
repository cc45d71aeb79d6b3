package org.euidsdk

import com.sun.jna.Callback
import com.sun.jna.CallbackThreadInitializer
import com.sun.jna.Native
import org.euidsdk.internal.uniffiCallbackInterfaceIdentityStore
import org.euidsdk.internal.uniffiCallbackInterfaceLogSink
import org.euidsdk.internal.uniffiCallbackInterfaceStatusListener

/**
 * How the native library's threads call back into the JVM.
 *
 * The SDK's runtime threads call stores, listeners and the log bridge through JNA callbacks. By default JNA attaches such a thread to the JVM for one
 * callback and detaches it after, creating a new `Thread` each time (a few hundred µs). Here
 * every callback keeps its native thread attached, as a daemon so it never holds up JVM exit;
 * JNA detaches it when the native thread ends.
 */
internal object NativeThreads {
    init {
        val initializer = CallbackThreadInitializer(true, false, "euid-sdk-callback")
        val callbacks: List<Callback> = listOf(
            uniffiCallbackInterfaceIdentityStore.`load`,
            uniffiCallbackInterfaceIdentityStore.`save`,
            uniffiCallbackInterfaceIdentityStore.`delete`,
            uniffiCallbackInterfaceIdentityStore.`isOptedOut`,
            uniffiCallbackInterfaceIdentityStore.`setOptedOut`,
            uniffiCallbackInterfaceIdentityStore.uniffiFree,
            uniffiCallbackInterfaceIdentityStore.uniffiClone,
            uniffiCallbackInterfaceStatusListener.`statusChanged`,
            uniffiCallbackInterfaceStatusListener.uniffiFree,
            uniffiCallbackInterfaceStatusListener.uniffiClone,
            uniffiCallbackInterfaceLogSink.`log`,
            uniffiCallbackInterfaceLogSink.uniffiFree,
            uniffiCallbackInterfaceLogSink.uniffiClone,
        )
        for (callback in callbacks) {
            Native.setCallbackThreadInitializer(callback, initializer)
        }
    }

    /** Runs the initializer once; later calls do nothing. */
    fun ensure() = Unit
}
