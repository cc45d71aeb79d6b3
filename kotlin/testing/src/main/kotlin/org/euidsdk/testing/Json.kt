package org.euidsdk.testing

/**
 * The little JSON the control API and the test kit's library speak, without a dependency:
 * [parse] gives maps, lists, strings, [Long] or [Double] numbers, booleans and null; [write]
 * takes the same (any [Number]) and writes ASCII, escaping every other character.
 */
internal object Json {
    fun write(value: Any?): String = StringBuilder().also { write(value, it) }.toString()

    private fun write(value: Any?, out: StringBuilder) {
        when (value) {
            null -> out.append("null")
            is String -> string(value, out)
            is Boolean, is Int, is Long, is Short, is Byte -> out.append(value.toString())
            is Number -> {
                val number = value.toDouble()
                require(number.isFinite()) { "JSON has no $number" }
                out.append(number.toString())
            }
            is Map<*, *> -> {
                out.append('{')
                value.entries.forEachIndexed { i, (key, item) ->
                    if (i > 0) out.append(',')
                    string(key as? String ?: throw IllegalArgumentException("JSON keys are strings, not $key"), out)
                    out.append(':')
                    write(item, out)
                }
                out.append('}')
            }
            is Collection<*> -> {
                out.append('[')
                value.forEachIndexed { i, item ->
                    if (i > 0) out.append(',')
                    write(item, out)
                }
                out.append(']')
            }
            else -> throw IllegalArgumentException("no JSON form for a ${value::class.java.name}")
        }
    }

    private fun string(value: String, out: StringBuilder) {
        out.append('"')
        for (c in value) {
            when {
                c == '"' -> out.append("\\\"")
                c == '\\' -> out.append("\\\\")
                // Only ASCII out: the test kit's library reads its argument as ASCII.
                c < ' ' || c > '~' -> out.append("\\u%04x".format(c.code))
                else -> out.append(c)
            }
        }
        out.append('"')
    }

    /** The value of [text]; [IllegalArgumentException] if it is not JSON. */
    fun parse(text: String): Any? {
        val parser = Parser(text)
        val value = parser.value()
        parser.skipSpace()
        require(parser.atEnd()) { "trailing characters after JSON" }
        return value
    }

    private class Parser(private val text: String) {
        private var at = 0

        fun atEnd() = at == text.length

        fun skipSpace() {
            while (at < text.length && text[at] in " \t\r\n") at++
        }

        private fun peek(): Char {
            skipSpace()
            require(at < text.length) { "JSON ends too early" }
            return text[at]
        }

        private fun expect(c: Char) {
            require(peek() == c) { "expected '$c' at $at" }
            at++
        }

        fun value(): Any? = when (val c = peek()) {
            '{' -> obj()
            '[' -> array()
            '"' -> string()
            't' -> literal("true", true)
            'f' -> literal("false", false)
            'n' -> literal("null", null)
            else -> if (c == '-' || c.isDigit()) number() else throw IllegalArgumentException("unexpected '$c' at $at")
        }

        private fun literal(word: String, value: Any?): Any? {
            require(text.startsWith(word, at)) { "unexpected characters at $at" }
            at += word.length
            return value
        }

        private fun obj(): Map<String, Any?> {
            expect('{')
            val map = LinkedHashMap<String, Any?>()
            if (peek() == '}') {
                at++
                return map
            }
            while (true) {
                require(peek() == '"') { "expected a key at $at" }
                val key = string()
                expect(':')
                map[key] = value()
                if (peek() == ',') at++ else break
            }
            expect('}')
            return map
        }

        private fun array(): List<Any?> {
            expect('[')
            val list = ArrayList<Any?>()
            if (peek() == ']') {
                at++
                return list
            }
            while (true) {
                list += value()
                if (peek() == ',') at++ else break
            }
            expect(']')
            return list
        }

        private fun string(): String {
            expect('"')
            val out = StringBuilder()
            while (true) {
                require(at < text.length) { "unterminated string" }
                val c = text[at++]
                when (c) {
                    '"' -> return out.toString()
                    '\\' -> {
                        require(at < text.length) { "unterminated string" }
                        when (val e = text[at++]) {
                            '"', '\\', '/' -> out.append(e)
                            'b' -> out.append('\b')
                            'f' -> out.append('\u000c')
                            'n' -> out.append('\n')
                            'r' -> out.append('\r')
                            't' -> out.append('\t')
                            'u' -> {
                                require(at + 4 <= text.length) { "short \\u escape" }
                                out.append(text.substring(at, at + 4).toInt(16).toChar())
                                at += 4
                            }
                            else -> throw IllegalArgumentException("bad escape \\$e")
                        }
                    }
                    else -> out.append(c)
                }
            }
        }

        private fun number(): Number {
            val start = at
            while (at < text.length && (text[at].isDigit() || text[at] in "+-.eE")) at++
            val literal = text.substring(start, at)
            return literal.toLongOrNull() ?: literal.toDoubleOrNull() ?: throw IllegalArgumentException("bad number $literal")
        }
    }
}
