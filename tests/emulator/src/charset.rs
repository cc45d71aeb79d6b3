//! The request body as the operator reads it: `rc.body().asString()` decodes it with the
//! `charset` parameter of `Content-Type` when there is one, and an unknown charset throws
//! (Java's `UnsupportedCharsetException`), which Vert.x answers with a 500.

use std::borrow::Cow;

use hyper::header::{HeaderMap, CONTENT_TYPE};

/// Charsets read as they are: UTF-8 and the ASCII-compatible ones Java knows by these names.
const AS_IS: [&str; 22] = [
    "utf-8",
    "utf8",
    "unicode-1-1-utf-8",
    "us-ascii",
    "ascii",
    "iso646-us",
    "default",
    "iso-8859-1",
    "iso8859-1",
    "iso_8859_1",
    "iso8859_1",
    "iso_8859-1",
    "latin1",
    "l1",
    "819",
    "cp819",
    "ibm819",
    "8859_1",
    "windows-1252",
    "cp1252",
    "iso-8859-15",
    "latin9",
];

/// The body as text bytes (UTF-8), or `None` where the operator fails with a 500.
pub fn body_text<'a>(headers: &HeaderMap, body: &'a [u8]) -> Option<Cow<'a, [u8]>> {
    let Some(charset) = charset(headers) else { return Some(Cow::Borrowed(body)) };
    let charset = charset.to_ascii_lowercase();
    if AS_IS.contains(&charset.as_str()) {
        return Some(Cow::Borrowed(body));
    }
    let big_endian = match charset.as_str() {
        "utf-16" | "utf_16" | "utf16" | "unicode" | "utf-16be" | "utf_16be" | "unicodebig" => true,
        "utf-16le" | "utf_16le" | "unicodelittle" | "x-utf-16le" => false,
        _ => return None,
    };
    let units = body.chunks(2).map(|pair| match (pair, big_endian) {
        ([a, b], true) => u16::from_be_bytes([*a, *b]),
        ([a, b], false) => u16::from_le_bytes([*a, *b]),
        _ => 0xFFFD,
    });
    let text: String = char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')).collect();
    Some(Cow::Owned(text.into_bytes()))
}

/// The `charset` parameter of `Content-Type`, unquoted.
fn charset(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    value.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use hyper::header::HeaderValue;

    fn with_type(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        headers
    }

    #[test]
    fn known_charsets_read_the_body_and_unknown_ones_fail() {
        let body = b"AQID";
        for content_type in
            ["application/octet-stream", "text/plain; charset=UTF-8", "x;charset=\"latin1\""]
        {
            assert_eq!(body_text(&with_type(content_type), body).unwrap().as_ref(), body);
        }
        assert_eq!(body_text(&HeaderMap::new(), body).unwrap().as_ref(), body);
        assert_eq!(body_text(&with_type("application/octet-stream;charset=binary"), body), None);
        assert_eq!(body_text(&with_type("text/plain; charset=nonsense"), body), None);
        let utf16 = body_text(&with_type("text/plain; charset=utf-16le"), b"A\0B\0").unwrap();
        assert_eq!(utf16.as_ref(), b"AB");
    }
}
