// The emulator's control API, for the cases that run with a slow operator.
package org.euidsdk.bench

import com.google.gson.JsonParser
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

private val http: HttpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()

/** One call to `/emulator/faults`: the number of faults listed in the answer. */
private fun faults(url: String, method: String, body: String?): Int {
    val publisher = body?.let { HttpRequest.BodyPublishers.ofString(it) } ?: HttpRequest.BodyPublishers.noBody()
    val request = HttpRequest.newBuilder(URI.create("$url/emulator/faults"))
        .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
        .method(method, publisher).build()
    val answer = http.send(request, HttpResponse.BodyHandlers.ofString())
    check(answer.statusCode() == 200) { "emulator control: HTTP ${answer.statusCode()} ${answer.body()}" }
    return JsonParser.parseString(answer.body()).asJsonObject.getAsJsonArray("faults").size()
}

/** Runs [block] while the emulator answers every token request after [latencyMs]. */
fun <T> withEmulatorLatency(url: String, latencyMs: Int, block: () -> T): T {
    val fault = """{"faults":[{"endpoint":"any","kind":"latency","latency_ms":$latencyMs}]}"""
    check(faults(url, "POST", fault) == 1)
    try {
        return block()
    } finally {
        check(faults(url, "DELETE", null) == 0)
    }
}
