//! The one rule for the message of a foreign store's or listener's failure, applied before the
//! message goes into an error or a log: no secret, no control characters, short.

/// What stands in for a secret.
const REDACTED: &str = "<redacted>";

/// The longest redacted message, in characters.
const MAX_FAILURE_CHARS: usize = 200;

const ELLIPSIS: &str = "...";

/// `message` with every occurrence of each non-empty secret (the user key, the identity's tokens
/// and refresh response key when known) replaced by `<redacted>`, also when it appears in another
/// letter case or URL-encoded (`%40`, `+` for a space); control characters removed; at most 200
/// characters (a longer text ends with `...`).
///
/// Every secret counts, however short: a one-letter user key is redacted everywhere.
pub fn redact_failure(message: &str, secrets: &[&str]) -> String {
    let text: Vec<char> = message.chars().filter(|c| !c.is_control()).collect();
    let patterns = patterns(secrets);
    let mut out = String::new();
    let mut out_chars = 0;
    let mut at = 0;
    // Stops once the text is long enough to be cut: a secret that starts before the cut was
    // matched whole, so no part of it is shown.
    while at < text.len() && out_chars <= MAX_FAILURE_CHARS {
        let rest = &text[at..];
        match patterns.iter().filter(|pattern| starts_with(rest, pattern)).map(Vec::len).max() {
            Some(len) => {
                out.push_str(REDACTED);
                out_chars += REDACTED.len();
                at += len;
            }
            None => {
                out.push(rest[0]);
                out_chars += 1;
                at += 1;
            }
        }
    }
    if out_chars <= MAX_FAILURE_CHARS {
        return out;
    }
    let mut cut: String = out.chars().take(MAX_FAILURE_CHARS - ELLIPSIS.len()).collect();
    cut.push_str(ELLIPSIS);
    cut
}

/// Each secret as written, percent-encoded and form-encoded, without control characters (the
/// message loses them too).
fn patterns(secrets: &[&str]) -> Vec<Vec<char>> {
    let mut patterns: Vec<Vec<char>> = Vec::new();
    for secret in secrets {
        let plain: String = secret.chars().filter(|c| !c.is_control()).collect();
        if plain.is_empty() {
            continue;
        }
        let form: String = url::form_urlencoded::byte_serialize(plain.as_bytes()).collect();
        for variant in [percent_encoded(&plain), form, plain] {
            let chars: Vec<char> = variant.chars().collect();
            if !patterns.contains(&chars) {
                patterns.push(chars);
            }
        }
    }
    patterns
}

/// Every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`) as `%XX`.
fn percent_encoded(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Whether `text` starts with `pattern`, ignoring letter case.
fn starts_with(text: &[char], pattern: &[char]) -> bool {
    text.len() >= pattern.len()
        && text.iter().zip(pattern).all(|(&a, &b)| a == b || a.to_lowercase().eq(b.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_occurrence_of_every_secret_is_replaced() {
        let message = "save failed for jane@example.com: token AdvTok1 and AdvTok1 again, key K3y";
        assert_eq!(
            redact_failure(message, &["jane@example.com", "AdvTok1", "K3y"]),
            "save failed for <redacted>: token <redacted> and <redacted> again, key <redacted>"
        );
    }

    #[test]
    fn another_letter_case_is_redacted_too() {
        assert_eq!(
            redact_failure("no row for JANE@Example.COM", &["jane@example.com"]),
            "no row for <redacted>"
        );
        assert_eq!(redact_failure("ÉMILE failed", &["émile"]), "<redacted> failed");
    }

    #[test]
    fn url_encoded_forms_are_redacted_too() {
        let user = "jane doe+1@example.com";
        let message = "GET /u/jane%20doe%2B1%40example.com and ?u=jane+doe%2b1%40EXAMPLE.com";
        assert_eq!(redact_failure(message, &[user]), "GET /u/<redacted> and ?u=<redacted>");
        assert_eq!(redact_failure("t=abc%2F%3D", &["abc/="]), "t=<redacted>");
    }

    #[test]
    fn empty_secrets_are_ignored() {
        assert_eq!(redact_failure("disk full", &["", ""]), "disk full");
        assert_eq!(redact_failure("disk full", &[]), "disk full");
    }

    #[test]
    fn short_secrets_count_too() {
        assert_eq!(
            redact_failure("user u unknown", &["u"]),
            "<redacted>ser <redacted> <redacted>nknown"
        );
    }

    #[test]
    fn the_longest_matching_secret_wins() {
        assert_eq!(redact_failure("x abcdef y", &["abc", "abcdef"]), "x <redacted> y");
    }

    #[test]
    fn control_characters_are_removed_even_inside_a_secret() {
        assert_eq!(redact_failure("line\none\r\t\u{1b}[31m", &[]), "lineone[31m");
        assert_eq!(redact_failure("token Adv\nTok1.", &["AdvTok1"]), "token <redacted>.");
    }

    #[test]
    fn long_messages_are_capped_at_200_characters() {
        let long = "é".repeat(500);
        let redacted = redact_failure(&long, &[]);
        assert_eq!(redacted.chars().count(), MAX_FAILURE_CHARS);
        assert!(redacted.ends_with("..."));
        let exact = "a".repeat(MAX_FAILURE_CHARS);
        assert_eq!(redact_failure(&exact, &[]), exact);
    }

    #[test]
    fn a_secret_across_the_cap_is_not_shown_in_part() {
        let secret = "S3cretTokenValue";
        let message = format!("{}{secret} tail", "x".repeat(195));
        let redacted = redact_failure(&message, &[secret]);
        assert_eq!(redacted, format!("{}<r...", "x".repeat(195)));
    }
}
