//! A tiny HTTP client (hyper over a TcpStream) and envelope helpers for the tests.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use bytes::Bytes;
use euid_core::envelope::{
    open_refresh_response, open_response, seal_request, RequestNonce, SealParams,
};
use euid_core::SecretKey;
use euid_emulator::{Emulator, EmulatorConfig};
use http_body_util::{BodyExt, Full};
use hyper::{HeaderMap, Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpStream;

/// An emulator with default settings.
pub fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default()).unwrap()
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!("not JSON ({err}): {:?}", String::from_utf8_lossy(&self.body))
        })
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a plain JSON error answer.
    #[track_caller]
    pub fn assert_error(&self, status: u16, wire: &str, message: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {:?}", String::from_utf8_lossy(&self.body));
        assert_eq!(self.header("content-type"), Some("application/json"));
        assert_eq!(self.json(), serde_json::json!({"status": wire, "message": message}));
    }

    /// Asserts a 400 `client_error` with `message`.
    #[track_caller]
    pub fn assert_client_error(&self, message: &str) {
        self.assert_error(400, "client_error", message);
    }
}

/// Sends one request on a fresh connection.
pub async fn send(
    url: &str,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Result<Reply, hyper::Error> {
    let authority = url.trim_start_matches("http://").to_owned();
    let stream = TcpStream::connect(&authority).await.unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let mut request = Request::builder().method(method).uri(path).header("host", authority);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = sender.send_request(request.body(Full::new(body.into())).unwrap()).await?;
    let (parts, body) = response.into_parts();
    let body = body.collect().await?.to_bytes();
    Ok(Reply { status: parts.status, headers: parts.headers, body })
}

/// POSTs `body` to `path`, optionally with a bearer key and a content type.
pub async fn post(
    emulator: &Emulator,
    path: &str,
    api_key: Option<&str>,
    content_type: Option<&str>,
    body: impl Into<Bytes>,
) -> Reply {
    let authorization = api_key.map(|key| format!("Bearer {key}"));
    let mut headers = Vec::new();
    if let Some(value) = &authorization {
        headers.push(("authorization", value.as_str()));
    }
    if let Some(value) = content_type {
        headers.push(("content-type", value));
    }
    send(emulator.url(), Method::POST, path, &headers, body).await.unwrap()
}

/// A control API call.
pub async fn control(emulator: &Emulator, method: Method, path: &str, body: Value) -> Reply {
    let body = if body.is_null() { Vec::new() } else { body.to_string().into_bytes() };
    send(emulator.url(), method, path, &[("content-type", "application/json")], body).await.unwrap()
}

/// The emulator's client secret.
pub fn secret(emulator: &Emulator) -> SecretKey {
    SecretKey::from_base64(&emulator.client_secret(), "secret").unwrap()
}

/// A sealed request: envelope bytes and its nonce.
pub struct Sealed {
    pub envelope: Vec<u8>,
    pub nonce: RequestNonce,
}

impl Sealed {
    /// Standard base64 of the envelope.
    pub fn base64(&self) -> String {
        STANDARD.encode(&self.envelope)
    }
}

/// Seals raw plaintext JSON bytes with the emulator's secret at `timestamp_ms`.
pub fn seal_bytes(emulator: &Emulator, payload: &[u8], timestamp_ms: i64) -> Sealed {
    let params = SealParams::random(timestamp_ms);
    Sealed { envelope: seal_request(&secret(emulator), payload, &params), nonce: params.nonce }
}

/// Seals `payload` at the emulator's now.
pub fn seal(emulator: &Emulator, payload: &Value) -> Sealed {
    seal_bytes(emulator, payload.to_string().as_bytes(), emulator.now_ms())
}

/// Decrypts a 200 generate/validate answer and checks its nonce.
pub fn open(emulator: &Emulator, reply: &Reply, sealed: &Sealed) -> Value {
    assert_eq!(reply.status, StatusCode::OK, "body: {:?}", String::from_utf8_lossy(&reply.body));
    assert_eq!(reply.header("content-type"), Some("text/plain"));
    let envelope = STANDARD.decode(&reply.body).unwrap();
    let opened = open_response(&secret(emulator), &envelope, &sealed.nonce).unwrap();
    serde_json::from_slice(&opened.payload).unwrap()
}

/// POSTs `payload` sealed to an encrypted endpoint with the right key; returns the decrypted
/// answer.
pub async fn call(emulator: &Emulator, path: &str, payload: &Value) -> Value {
    let sealed = seal(emulator, payload);
    let reply = post(emulator, path, Some(emulator.api_key()), None, sealed.base64()).await;
    open(emulator, &reply, &sealed)
}

/// Generates for `payload` and returns the identity `body` (asserting success).
pub async fn generate_identity(emulator: &Emulator, payload: &Value) -> Value {
    let answer = call(emulator, "/v2/token/generate", payload).await;
    assert_eq!(answer["status"], "success", "{answer}");
    answer["body"].clone()
}

/// Decrypts a 200 refresh answer with the identity's `refresh_response_key`.
pub fn open_refresh(reply: &Reply, identity: &Value) -> Value {
    assert_eq!(reply.status, StatusCode::OK, "body: {:?}", String::from_utf8_lossy(&reply.body));
    assert_eq!(reply.header("content-type"), Some("text/plain"));
    let key =
        SecretKey::from_base64(identity["refresh_response_key"].as_str().unwrap(), "key").unwrap();
    let envelope = STANDARD.decode(&reply.body).unwrap();
    serde_json::from_slice(&open_refresh_response(&key, &envelope).unwrap()).unwrap()
}

/// POSTs the identity's refresh token, authenticated or not.
pub async fn refresh(emulator: &Emulator, identity: &Value, authenticated: bool) -> Reply {
    let token = identity["refresh_token"].as_str().unwrap().to_owned();
    let key = authenticated.then(|| emulator.api_key());
    post(emulator, "/v2/token/refresh", key, None, token).await
}
