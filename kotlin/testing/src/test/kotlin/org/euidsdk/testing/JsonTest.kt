package org.euidsdk.testing

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class JsonTest {
    @Test
    fun `it reads what the control API answers`() {
        val text = """ {"generate":{"requests":4,"outcomes":{"success":1}},"f":[1.5,-2,true,false,null,"a\"\\\/\n\u00e9"],"e":{}} """
        assertEquals(
            mapOf(
                "generate" to mapOf("requests" to 4L, "outcomes" to mapOf("success" to 1L)),
                "f" to listOf(1.5, -2L, true, false, null, "a\"\\/\n\u00e9"),
                "e" to emptyMap<String, Any>(),
            ),
            Json.parse(text),
        )
    }

    @Test
    fun `it writes what it reads`() {
        val value = mapOf("faults" to listOf(mapOf("kind" to "status", "status" to 503, "p" to 0.5, "body" to "x\"\u0001")), "on" to true, "n" to null)
        val text = Json.write(value)
        assertEquals("""{"faults":[{"kind":"status","status":503,"p":0.5,"body":"x\"\u0001"}],"on":true,"n":null}""", text)
        assertEquals(mapOf("faults" to listOf(mapOf("kind" to "status", "status" to 503L, "p" to 0.5, "body" to "x\"\u0001")), "on" to true, "n" to null), Json.parse(text))
    }

    @Test
    fun `it writes ASCII only`() {
        assertEquals("\"caf\\u00e9 \\ud83d\\ude00 \\u007f~\"", Json.write("caf\u00e9 \uD83D\uDE00 \u007f~"))
        assertEquals("caf\u00e9 \uD83D\uDE00", Json.parse(Json.write("caf\u00e9 \uD83D\uDE00")))
    }

    @Test
    fun `malformed JSON is refused`() {
        for (text in listOf("", "{", "[1,]", "{\"a\" 1}", "\"open", "tru", "1 2", "\"\\q\"")) {
            assertThrows<IllegalArgumentException>(text) { Json.parse(text) }
        }
        assertThrows<IllegalArgumentException> { Json.write(Double.NaN) }
        assertThrows<IllegalArgumentException> { Json.write(mapOf(1 to 2)) }
        assertThrows<IllegalArgumentException> { Json.write(Any()) }
    }
}
