//! Prints inputs for load-testing the emulator with a tool that is not our SDK (wrk).
//!
//! ```text
//! bench_input envelope SECRET [EMAIL]        a base64 generate envelope sealed now
//! bench_input refresh-token URL API_KEY SECRET  a refresh token from one generate call
//! ```
//!
//! The emulator rejects replays only by timestamp, so an envelope stays valid for about
//! two minutes: make it right before the run.

use std::error::Error;
use std::io::{Read, Write};
use std::net::TcpStream;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use euid_core::envelope::{open_response, seal_request, SealParams};
use euid_core::{system_now_ms, SecretKey};
use serde_json::{json, Value};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["envelope", secret] => println!("{}", envelope(secret, "user@example.com")?.0),
        ["envelope", secret, email] => println!("{}", envelope(secret, email)?.0),
        ["refresh-token", url, api_key, secret] => {
            println!("{}", refresh_token(url, api_key, secret)?)
        }
        _ => {
            return Err("usage: bench_input envelope SECRET [EMAIL] | \
                        bench_input refresh-token URL API_KEY SECRET"
                .into())
        }
    }
    Ok(())
}

/// A base64 generate envelope for `email`, and its seal parameters.
fn envelope(secret: &str, email: &str) -> Result<(String, SealParams)> {
    let key = SecretKey::from_base64(secret, "the client secret")?;
    let params = SealParams::random(system_now_ms());
    let payload = json!({ "email": email }).to_string();
    Ok((STANDARD.encode(seal_request(&key, payload.as_bytes(), &params)), params))
}

/// Generates once over a plain HTTP/1.1 connection and returns the refresh token.
fn refresh_token(url: &str, api_key: &str, secret: &str) -> Result<String> {
    let (body, params) = envelope(secret, "bench@example.com")?;
    let authority = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(authority)?;
    write!(
        stream,
        "POST /v2/token/generate HTTP/1.1\r\nHost: {authority}\r\nAuthorization: Bearer {api_key}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (_, answer) = response.split_once("\r\n\r\n").ok_or("no HTTP body")?;
    let key = SecretKey::from_base64(secret, "the client secret")?;
    let opened = open_response(&key, &STANDARD.decode(answer.trim())?, &params.nonce)?;
    let answer: Value = serde_json::from_slice(&opened.payload)?;
    let token = answer["body"]["refresh_token"].as_str().ok_or("no refresh_token in the answer")?;
    Ok(token.to_owned())
}
