package org.euidsdk

import java.io.File
import java.util.concurrent.TimeUnit

/**
 * A JVM of its own, for the tests that configure a whole JVM (its environment, its `-D` options):
 * generates then refreshes against `EUID_BASE_URL` with `EUID_API_KEY` and `EUID_CLIENT_SECRET`
 * and no proxy or CA option, then prints `ok`, or `error <KIND> <message>`.
 */
object NetworkProbe {
    @JvmStatic
    fun main(args: Array<String>) {
        val env = System.getenv()
        val line = try {
            PublisherClient(env.getValue("EUID_BASE_URL"), env.getValue("EUID_API_KEY"), env.getValue("EUID_CLIENT_SECRET"), maxRetries = 0)
                .use { client ->
                    val generated = client.generateTokenBlocking(Dii.email("jane.doe@example.com"))
                    check(generated is GenerateResult.Success) { "generate: $generated" }
                    val refreshed = client.refreshTokenBlocking(generated.identity)
                    check(refreshed is RefreshResult.Success) { "refresh: $refreshed" }
                    "ok"
                }
        } catch (err: EuidException) {
            "error ${err.kind} ${err.message}"
        }
        println(line)
    }

    /** The proxy variables a probe's environment starts without. */
    private val proxyVariables = listOf("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")
        .flatMap { listOf(it, it.lowercase()) }

    /**
     * Runs a probe of [emulator] at [baseUrl] in a new JVM with [jvmOptions] and the variables
     * [env] (no other proxy variable); what it printed.
     */
    fun run(emulator: Emulator, baseUrl: String, env: Map<String, String> = emptyMap(), jvmOptions: List<String> = emptyList()): String {
        val java = File(System.getProperty("java.home"), "bin/java").path
        val command = listOf(java) + jvmOptions + listOf("-cp", System.getProperty("java.class.path"), NetworkProbe::class.java.name)
        val builder = ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
        builder.environment().apply {
            proxyVariables.forEach { remove(it) }
            put("EUID_BASE_URL", baseUrl)
            put("EUID_API_KEY", emulator.apiKey)
            put("EUID_CLIENT_SECRET", emulator.clientSecret)
            putAll(env)
        }
        val process = builder.start()
        process.outputStream.close()
        val output = process.inputStream.bufferedReader().readText()
        check(process.waitFor(60, TimeUnit.SECONDS)) { "the probe did not end" }
        check(process.exitValue() == 0) { "the probe failed: $output" }
        return output.trim().lines().last()
    }
}
