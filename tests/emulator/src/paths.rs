//! Request paths as the operator's Vert.x router matches them: on the normalized path
//! (`HttpUtils.normalizePath`: percent-encoded unreserved characters decoded, dot segments
//! removed, `//` collapsed to `/`), with a trailing slash ignored (exact routes).

/// The path a route is matched against: normalized, without a trailing slash (but `/` stays).
pub fn route_path(path: &str) -> String {
    let decoded = decode_unreserved(path);
    let mut segments: Vec<&str> = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    format!("/{}", segments.join("/"))
}

/// Decodes `%XX` where XX is an unreserved character (RFC 3986 2.3); leaves the rest.
fn decode_unreserved(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let decoded = path
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .filter(|b| b.is_ascii_alphanumeric() || b"-._~".contains(b));
            if let Some(b) = decoded {
                out.push(char::from(b));
                i += 3;
                continue;
            }
        }
        let len = path[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&path[i..i + len]);
        i += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_and_trailing_slashes_dots_and_encoded_letters_reach_the_route() {
        for path in [
            "/v2/token/generate",
            "//v2/token/generate",
            "/v2/token/generate/",
            "/v2//token///generate//",
            "/v2/./token/x/../generate",
            "/v2/token/%67enerate",
        ] {
            assert_eq!(route_path(path), "/v2/token/generate", "{path}");
        }
        assert_eq!(route_path("/"), "/");
        assert_eq!(route_path(""), "/");
        assert_eq!(route_path("/v2/token/generate%2F"), "/v2/token/generate%2F");
        assert_eq!(route_path("/V2/token/generate"), "/V2/token/generate");
    }
}
