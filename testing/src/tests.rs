//! The three symbols called as a foreign layer calls them, against real emulators.

#![allow(unsafe_code)]

use std::ffi::{CStr, CString};
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::ptr;

use serde_json::Value;

use crate::{euid_testing_free, euid_testing_start, euid_testing_stop};

/// `euid_testing_start(config)`'s answer, parsed; the answer is given back.
fn start(config: &str) -> Value {
    let config = CString::new(config).unwrap();
    // SAFETY: a NUL-terminated string.
    let answer = unsafe { euid_testing_start(config.as_ptr()) };
    assert!(!answer.is_null());
    // SAFETY: the answer is NUL-terminated, and given back once right after.
    let text = unsafe { CStr::from_ptr(answer) }.to_str().unwrap().to_owned();
    unsafe { euid_testing_free(answer) };
    serde_json::from_str(&text).unwrap()
}

fn id(answer: &Value) -> u64 {
    answer["id"].as_u64().unwrap()
}

/// `GET path` on the emulator at `url`: the status line and the body.
fn get(url: &str, path: &str) -> (String, String) {
    let address = url.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_owned(), body.to_owned())
}

#[test]
fn start_serves_on_loopback_until_stop() {
    let started = start("{}");
    let url = started["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(!started["api_key"].as_str().unwrap().is_empty());
    assert_eq!(started["client_secret"].as_str().unwrap().len(), 44);
    assert_eq!(get(&url, "/ops/healthcheck"), ("HTTP/1.1 200 OK".to_owned(), "OK".to_owned()));

    assert_eq!(euid_testing_stop(id(&started)), 0);
    let address = url.strip_prefix("http://").unwrap();
    assert!(TcpStream::connect(address).is_err(), "the port is closed once stop returns");
    assert_eq!(euid_testing_stop(id(&started)), -1, "a stopped id is unknown");
}

#[test]
fn the_config_reaches_the_emulator() {
    let secret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    let started =
        start(&format!(r#"{{"api_key":"kit-key","client_secret":"{secret}","date_header":true}}"#));
    assert_eq!(started["api_key"], "kit-key");
    assert_eq!(started["client_secret"], secret);
    let (status, clock) = get(started["url"].as_str().unwrap(), "/emulator/clock");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(serde_json::from_str::<Value>(&clock).unwrap()["date_header"], true);
    assert_eq!(euid_testing_stop(id(&started)), 0);
}

#[test]
fn emulators_get_distinct_ids_and_ports() {
    let (a, b) = (start("{}"), start("{}"));
    assert_ne!(id(&a), id(&b));
    assert_ne!(a["url"], b["url"]);
    assert_eq!(euid_testing_stop(id(&a)), 0);
    assert_eq!(get(b["url"].as_str().unwrap(), "/ops/healthcheck").1, "OK", "b still serves");
    assert_eq!(euid_testing_stop(id(&b)), 0);
}

#[test]
fn a_bad_config_is_a_config_error_without_the_secret() {
    for (config, named) in [
        (r#"{"refresh_from_ms":-1}"#, "refresh_from_ms must not be negative"),
        (r#"{"identity_lifetime_ms":2,"refresh_lifetime_ms":1}"#, "identity_lifetime_ms"),
        (r#"{"tcf_vendor_id":70000}"#, "u16"),
        (r#"{"client_secret":"bm90LTMyLWJ5dGVz"}"#, "secret"),
        (r#"{"no_such_setting":1}"#, "unknown field `no_such_setting`"),
        ("[1]", "expected a map"),
        ("not json", "expected"),
    ] {
        let answer = start(config);
        assert_eq!(answer["kind"], "config", "{config}: {answer}");
        let message = answer["error"].as_str().unwrap();
        assert!(message.contains(named), "{config}: {message}");
        assert!(!message.contains("bm90LTMyLWJ5dGVz"), "{message}");
        assert!(answer.get("id").is_none());
    }
}

#[test]
fn null_pointers_and_unknown_ids_are_errors() {
    // SAFETY: NULL is allowed.
    let answer = unsafe { euid_testing_start(ptr::null()) };
    // SAFETY: the answer is NUL-terminated, and given back once right after.
    let text = unsafe { CStr::from_ptr(answer) }.to_str().unwrap().to_owned();
    unsafe { euid_testing_free(answer) };
    assert_eq!(text, r#"{"error":"the configuration pointer is null","kind":"internal"}"#);
    assert_eq!(euid_testing_stop(0), -1);
    assert_eq!(euid_testing_stop(u64::MAX), -1);
    // SAFETY: NULL is ignored.
    unsafe { euid_testing_free(ptr::null_mut()) };
}
