package org.euidsdk.testing

/**
 * The emulator could not start, was closed, or refused a control call; [kind] says which. No
 * message contains a credential.
 */
class EmulatorException internal constructor(val kind: Kind, message: String) : RuntimeException(message) {
    /** Why it failed. */
    enum class Kind {
        /** An invalid setting, named in the message. */
        CONFIG,

        /** No free port, or the emulator did not answer. */
        IO,

        /** A control call it refused, with its message. */
        CONTROL,

        /** The emulator was closed. */
        NOT_RUNNING,

        /** A bug of the test kit. */
        INTERNAL,
    }
}
