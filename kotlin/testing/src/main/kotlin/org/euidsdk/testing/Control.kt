package org.euidsdk.testing

import java.io.IOException
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

/** The emulator's HTTP control API (`/emulator/...`) on loopback, through `java.net.http`. */
internal class Control(private val url: String) {
    /** `method /emulator/path` with [body] as JSON; the JSON answer, an object. */
    fun call(method: String, path: String, body: Any? = null): Map<*, *> {
        val publisher = body?.let { HttpRequest.BodyPublishers.ofString(Json.write(it)) }
            ?: HttpRequest.BodyPublishers.noBody()
        val request = HttpRequest.newBuilder(URI.create("$url/emulator/$path"))
            .method(method, publisher)
            .header("Content-Type", "application/json")
            .timeout(TIMEOUT)
            .build()
        val response = try {
            http.send(request, HttpResponse.BodyHandlers.ofString())
        } catch (err: IOException) {
            throw EmulatorException(EmulatorException.Kind.IO, "the emulator at $url did not answer: $err")
        }
        val json = runCatching { Json.parse(response.body()) as? Map<*, *> }.getOrNull()
        if (response.statusCode() != 200) {
            val message = json?.get("error") as? String ?: "HTTP ${response.statusCode()}"
            throw EmulatorException(EmulatorException.Kind.CONTROL, "$method /emulator/$path: $message")
        }
        return json ?: throw EmulatorException(EmulatorException.Kind.INTERNAL, "$method /emulator/$path gave no JSON object")
    }

    private companion object {
        val TIMEOUT: Duration = Duration.ofSeconds(10)

        // Never through a proxy: the emulator listens on 127.0.0.1.
        val http: HttpClient = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(TIMEOUT)
            .build()
    }
}
