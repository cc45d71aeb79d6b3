//! CORS: the answers a browser on another origin needs, as the operator gives them.

use hyper::Method;

use crate::support::{emulator, send};

const ORIGIN: &str = "http://127.0.0.1:5000";

#[tokio::test]
async fn a_preflight_on_refresh_is_answered_204_with_the_operators_headers() {
    let emulator = emulator();
    let headers = [
        ("origin", ORIGIN),
        ("access-control-request-method", "POST"),
        ("access-control-request-headers", "x-uid2-client-version"),
    ];
    let reply =
        send(emulator.url(), Method::OPTIONS, "/v2/token/refresh", &headers, "").await.unwrap();
    assert_eq!(reply.status.as_u16(), 204);
    assert_eq!(reply.header("access-control-allow-origin"), Some(ORIGIN));
    assert_eq!(reply.header("access-control-allow-methods"), Some("GET,POST,OPTIONS"));
    assert_eq!(
        reply.header("access-control-allow-headers"),
        Some(
            "X-UID2-Client-Version,Access-Control-Request-Method,Access-Control-Allow-Credentials,\
             Access-Control-Allow-Origin,Access-Control-Allow-Headers,Content-Type"
        )
    );
    assert!(reply.body.is_empty());
    // A preflight is not a token request.
    assert_eq!(emulator.counters().refresh.requests, 0);
}

#[tokio::test]
async fn a_post_with_an_origin_allows_that_origin_and_varies_on_it() {
    let emulator = emulator();
    let headers = [("origin", ORIGIN), ("content-type", "text/plain;charset=UTF-8")];
    let reply =
        send(emulator.url(), Method::POST, "/v2/token/refresh", &headers, "short").await.unwrap();
    reply.assert_error(400, "error", "Error refreshing token");
    assert_eq!(reply.header("access-control-allow-origin"), Some(ORIGIN));
    assert_eq!(reply.header("vary"), Some("origin"));
    assert_eq!(emulator.counters().refresh.requests, 1);
}

#[tokio::test]
async fn without_an_origin_there_are_no_cors_headers() {
    let emulator = emulator();
    let reply =
        send(emulator.url(), Method::POST, "/v2/token/refresh", &[], "short").await.unwrap();
    assert_eq!(reply.header("access-control-allow-origin"), None);
    assert_eq!(reply.header("vary"), None);
}

#[tokio::test]
async fn options_without_a_request_method_is_not_a_preflight() {
    let emulator = emulator();
    let headers = [("origin", ORIGIN)];
    let reply =
        send(emulator.url(), Method::OPTIONS, "/v2/token/refresh", &headers, "").await.unwrap();
    assert_eq!(reply.status.as_u16(), 405);
    assert_eq!(reply.header("access-control-allow-origin"), Some(ORIGIN));
}
