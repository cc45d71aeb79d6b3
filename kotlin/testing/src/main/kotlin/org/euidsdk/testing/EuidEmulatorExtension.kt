package org.euidsdk.testing

import org.junit.jupiter.api.extension.AfterAllCallback
import org.junit.jupiter.api.extension.BeforeEachCallback
import org.junit.jupiter.api.extension.ExtensionContext
import org.junit.jupiter.api.extension.ParameterContext
import org.junit.jupiter.api.extension.ParameterResolver

/**
 * Injects a running [EuidEmulator] into test methods, constructors and lifecycle methods that
 * take one: one emulator per test class, started when first asked for, [reset][EuidEmulator.reset]
 * before each test, stopped after the class's last test.
 *
 * ```java
 * @ExtendWith(EuidEmulatorExtension.class)
 * class SignInTest {
 *     @Test
 *     void signInGetsAToken(EuidEmulator emulator) throws Exception {
 *         ...
 *     }
 * }
 * ```
 *
 * Tests of one class that run in parallel share its emulator (and its resets); give such tests
 * an [EuidEmulator.start] of their own.
 */
class EuidEmulatorExtension : ParameterResolver, BeforeEachCallback, AfterAllCallback {
    override fun supportsParameter(parameter: ParameterContext, context: ExtensionContext): Boolean =
        parameter.parameter.type == EuidEmulator::class.java

    override fun resolveParameter(parameter: ParameterContext, context: ExtensionContext): EuidEmulator =
        store(context).getOrComputeIfAbsent(KEY, { EuidEmulator.start() }, EuidEmulator::class.java)

    override fun beforeEach(context: ExtensionContext) {
        store(context).get(KEY, EuidEmulator::class.java)?.reset()
    }

    override fun afterAll(context: ExtensionContext) {
        store(context).remove(KEY, EuidEmulator::class.java)?.close()
    }

    private companion object {
        val NAMESPACE: ExtensionContext.Namespace = ExtensionContext.Namespace.create(EuidEmulatorExtension::class.java)
        const val KEY = "emulator"

        /** The store of the test class's context (for a test method's context, its parent's). */
        fun store(context: ExtensionContext): ExtensionContext.Store =
            generateSequence(context) { it.parent.orElse(null) }
                .first { it.testMethod.isEmpty }
                .getStore(NAMESPACE)
    }
}
