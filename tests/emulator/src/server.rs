//! The HTTP server: accept loop, routing, body limit, faults, counting and the optional `Date`
//! header.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, ALLOW, CONTENT_TYPE, DATE, RETRY_AFTER};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;

use crate::control;
use crate::cors;
use crate::counters::{Endpoint, Outcome};
use crate::faults::FaultKind;
use crate::handlers;
use crate::paths::route_path;
use crate::reply::{Answer, Damage, Rendered, APPLICATION_JSON, TEXT_PLAIN};
use crate::state::State;

/// The operator's `MAX_REQUEST_BODY_SIZE`.
const MAX_BODY_BYTES: usize = 1 << 20;

/// Vert.x's page for a path no route matches.
const NOT_FOUND_HTML: &str = "<html><body><h1>Resource not found</h1></body></html>";
/// Its content type.
const TEXT_HTML: &str = "text/html; charset=utf-8";

/// The page a load balancer shows when the operator is down.
const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                        <center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

/// Returned by the service to make hyper drop the connection without answering.
#[derive(Debug)]
struct CloseConnection;

impl fmt::Display for CloseConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection closed by an injected fault")
    }
}

impl std::error::Error for CloseConnection {}

type HttpResponse = Response<Full<Bytes>>;

/// Serves until `shutdown` fires (or its sender is dropped), over TLS when given an acceptor.
pub(crate) async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    state: Arc<State>,
    mut shutdown: oneshot::Receiver<()>,
) {
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait a little and go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            _ = &mut shutdown => return,
        };
        // Failing to set it only costs latency.
        let _ = stream.set_nodelay(true);
        let state = Arc::clone(&state);
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => serve_connection(stream, state).await,
                // A client that does not trust the certificate ends the handshake; nothing to do.
                Some(tls) => {
                    if let Ok(stream) = tls.accept(stream).await {
                        serve_connection(stream, state).await;
                    }
                }
            }
        });
    }
}

/// Serves HTTP/1.1 on one connection until it ends.
async fn serve_connection<S>(stream: S, state: Arc<State>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request| handle(Arc::clone(&state), request));
    // A peer that goes away, or a `close` fault, ends the connection; nothing to do.
    // No automatic `Date`: the operator sends none (`dated` adds one when asked).
    let _ = http1::Builder::new()
        .keep_alive(true)
        .auto_date_header(false)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

async fn handle(
    state: Arc<State>,
    request: Request<Incoming>,
) -> Result<HttpResponse, CloseConnection> {
    let (parts, body) = request.into_parts();
    if let Some(response) = cors::preflight(&parts.method, &parts.headers) {
        return Ok(dated(&state, response));
    }
    let path = route_path(parts.uri.path());
    let endpoint = match path.as_str() {
        "/v2/token/generate" => Some(Endpoint::Generate),
        "/v2/token/refresh" => Some(Endpoint::Refresh),
        "/v2/token/validate" => Some(Endpoint::Validate),
        _ => None,
    };
    let control = path == "/emulator" || path.starts_with("/emulator/");
    let response = match endpoint {
        Some(endpoint) if parts.method == Method::POST => match read_body(body).await? {
            Some(body) => serve_endpoint(&state, endpoint, &parts.headers, &body).await?,
            None => {
                state.counters.request(endpoint);
                state.counters.outcome(endpoint, Outcome::PayloadTooLarge);
                too_large()
            }
        },
        Some(_) => method_not_allowed("POST"),
        None if path == "/ops/healthcheck" => match parts.method {
            Method::GET => text(StatusCode::OK, Some(TEXT_PLAIN), "OK"),
            _ => method_not_allowed("GET"),
        },
        None if control => match read_body(body).await? {
            Some(body) => {
                let reply = control::handle(&state, &parts.method, &path, &body);
                let body = reply.json.to_string();
                let mut response = text(reply.status, Some(APPLICATION_JSON), body);
                if let Some(allow) = reply.allow {
                    response.headers_mut().insert(ALLOW, HeaderValue::from_static(allow));
                }
                response
            }
            None => too_large(),
        },
        None => text(StatusCode::NOT_FOUND, Some(TEXT_HTML), NOT_FOUND_HTML),
    };
    let mut response = dated(&state, response);
    cors::allow_origin(&parts.headers, &mut response);
    Ok(response)
}

/// The body, `None` past the operator's 1 MiB limit.
async fn read_body(body: Incoming) -> Result<Option<Bytes>, CloseConnection> {
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(Some(collected.to_bytes())),
        Err(err) if err.downcast_ref::<LengthLimitError>().is_some() => Ok(None),
        // The client went away mid-body.
        Err(_) => Err(CloseConnection),
    }
}

/// The operator's 413 (`BodyHandler`, then `GenericFailureHandler`): Apache's reason phrase, no
/// content type.
fn too_large() -> HttpResponse {
    text(StatusCode::PAYLOAD_TOO_LARGE, None, "Request Too Long")
}

/// Counts the request, applies the first matching fault, or answers normally.
async fn serve_endpoint(
    state: &State,
    endpoint: Endpoint,
    headers: &hyper::HeaderMap,
    body: &Bytes,
) -> Result<HttpResponse, CloseConnection> {
    state.counters.request(endpoint);
    let fault = state.faults.take(endpoint);
    if let Some(kind) = &fault {
        state.counters.outcome(endpoint, kind.outcome());
    }
    let damage = match fault {
        None => Damage::None,
        Some(FaultKind::Latency { latency_ms }) => {
            tokio::time::sleep(Duration::from_millis(latency_ms)).await;
            Damage::None
        }
        Some(FaultKind::Close) => return Err(CloseConnection),
        Some(FaultKind::Status { status, retry_after, body }) => {
            return Ok(status_fault(endpoint, status, retry_after, body))
        }
        Some(FaultKind::Garbage) => {
            let mut garbage = vec![0u8; rand::random_range(32..256)];
            rand::fill(garbage.as_mut_slice());
            return Ok(text(StatusCode::OK, Some(TEXT_PLAIN), garbage));
        }
        Some(FaultKind::Html) => {
            return Ok(text(StatusCode::BAD_GATEWAY, Some("text/html"), HTML_502))
        }
        Some(FaultKind::Truncate) => Damage::Truncate,
        Some(FaultKind::WrongKey) => Damage::WrongKey,
        Some(FaultKind::WrongNonce) if endpoint == Endpoint::Refresh => Damage::None,
        Some(FaultKind::WrongNonce) => Damage::WrongNonce,
    };
    let Answer { reply, outcome } = match endpoint {
        Endpoint::Generate => handlers::generate(state, headers, body),
        Endpoint::Refresh => handlers::refresh(state, headers, body),
        Endpoint::Validate => handlers::validate(state, headers, body),
    };
    if matches!(damage, Damage::None) {
        state.counters.outcome(endpoint, outcome);
    }
    let Rendered { status, content_type, body } = reply.render(state.clock.now_ms(), damage);
    Ok(text(status, content_type, body))
}

fn status_fault(
    endpoint: Endpoint,
    status: u16,
    retry_after: Option<u64>,
    body: Option<serde_json::Value>,
) -> HttpResponse {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match body {
        Some(serde_json::Value::String(body)) => text(status, Some(TEXT_PLAIN), body),
        Some(body) => text(status, Some(APPLICATION_JSON), body.to_string()),
        None => {
            let doing = match endpoint {
                Endpoint::Generate => "generating",
                Endpoint::Refresh => "refreshing",
                Endpoint::Validate => "validating",
            };
            let message = format!("Unknown error while {doing} token v2");
            text(
                status,
                Some(APPLICATION_JSON),
                json!({"status": "unknown", "message": message}).to_string(),
            )
        }
    };
    if let Some(seconds) = retry_after {
        response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// Vert.x's 405: an empty body, no content type, `Allow`.
fn method_not_allowed(allow: &'static str) -> HttpResponse {
    let mut response = text(StatusCode::METHOD_NOT_ALLOWED, None, "");
    response.headers_mut().insert(ALLOW, HeaderValue::from_static(allow));
    response
}

fn text(
    status: StatusCode,
    content_type: Option<&'static str>,
    body: impl Into<Bytes>,
) -> HttpResponse {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    if let Some(content_type) = content_type {
        response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    response
}

/// Adds the `Date` header from the emulator's clock, when asked to (the operator sends none).
fn dated(state: &State, mut response: HttpResponse) -> HttpResponse {
    if !state.date_header() {
        return response;
    }
    let now_ms = u64::try_from(state.clock.now_ms()).unwrap_or(0);
    let now = UNIX_EPOCH + Duration::from_millis(now_ms);
    if let Ok(value) = HeaderValue::from_str(&httpdate::fmt_http_date(clamp(now))) {
        response.headers_mut().insert(DATE, value);
    }
    response
}

/// `httpdate` cannot show years after 9999.
fn clamp(time: SystemTime) -> SystemTime {
    let max = UNIX_EPOCH + Duration::from_secs(253_402_300_799);
    time.min(max)
}
