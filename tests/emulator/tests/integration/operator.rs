//! Where the emulator used to differ from the operator (issue 16, section 2): the operator's
//! exact status, headers and body, or an option that defaults to the operator's behaviour.

use euid_core::envelope::open_refresh_response;
use euid_core::SecretKey;
use euid_emulator::{Emulator, EmulatorConfig};
use hyper::Method;
use serde_json::{json, Value};

use crate::support::*;

const GENERATE: &str = "/v2/token/generate";
const EMAIL: &str = "user@example.com";

async fn sealed_generate(emulator: &Emulator, path: &str) -> Value {
    let sealed = seal(emulator, &json!({ "email": EMAIL }));
    let reply = post(emulator, path, Some(emulator.api_key()), None, sealed.base64()).await;
    open(emulator, &reply, &sealed)
}

#[tokio::test]
async fn no_date_header_unless_asked_for() {
    let emulator = emulator();
    let sealed = seal(&emulator, &json!({ "email": EMAIL }));
    let reply = post(&emulator, GENERATE, Some(emulator.api_key()), None, sealed.base64()).await;
    assert_eq!(reply.status.as_u16(), 200);
    assert_eq!(reply.header("date"), None);
    let reply = post(&emulator, GENERATE, None, None, "").await;
    assert_eq!((reply.status.as_u16(), reply.header("date")), (401, None));

    // A load balancer's Date header, switched on through the control API; reset drops it.
    let clock = control(&emulator, Method::POST, "/emulator/clock", json!({"date_header": true}))
        .await
        .json();
    assert_eq!(clock["date_header"], true);
    let reply = post(&emulator, GENERATE, None, None, "").await;
    assert!(httpdate::parse_http_date(reply.header("date").unwrap()).is_ok());
    emulator.reset();
    assert_eq!(post(&emulator, GENERATE, None, None, "").await.header("date"), None);

    let configured =
        Emulator::start(EmulatorConfig { date_header: true, ..EmulatorConfig::default() }).unwrap();
    assert!(post(&configured, GENERATE, None, None, "").await.header("date").is_some());
    configured.reset();
    assert!(post(&configured, GENERATE, None, None, "").await.header("date").is_some());
}

#[tokio::test]
async fn double_and_trailing_slashes_reach_the_endpoints() {
    let emulator = emulator();
    for path in ["//v2/token/generate", "/v2/token/generate/", "/v2//token/generate//"] {
        let answer = sealed_generate(&emulator, path).await;
        assert_eq!(answer["status"], "success", "{path}");
    }
    let identity = generate_identity(&emulator, &json!({ "email": EMAIL })).await;
    let token = identity["refresh_token"].as_str().unwrap().to_owned();
    let reply = post(&emulator, "/v2/token/refresh/", None, None, token).await;
    assert_eq!(open_refresh(&reply, &identity)["status"], "success");
    let validate = json!({"email": EMAIL, "token": identity["advertising_token"]});
    assert_eq!(call(&emulator, "//v2/token/validate/", &validate).await["body"], true);
    let reply = send(emulator.url(), Method::GET, "//ops/healthcheck/", &[], "").await.unwrap();
    assert_eq!((reply.status.as_u16(), &reply.body[..]), (200, &b"OK"[..]));
    assert_eq!(emulator.counters().generate.outcome("success"), 4);
}

#[tokio::test]
async fn unknown_paths_get_the_routers_html_404() {
    let emulator = emulator();
    for path in ["/v2/token/generat", "/v2/token/generate/x", "/V2/token/generate", "/"] {
        let reply = send(emulator.url(), Method::POST, path, &[], "x").await.unwrap();
        assert_eq!(reply.status.as_u16(), 404, "{path}");
        assert_eq!(reply.header("content-type"), Some("text/html; charset=utf-8"));
        assert_eq!(&reply.body[..], b"<html><body><h1>Resource not found</h1></body></html>");
    }
}

#[tokio::test]
async fn a_wrong_method_gets_an_empty_405_with_allow() {
    let emulator = emulator();
    for (method, path, allow) in [
        (Method::GET, "/v2/token/generate", "POST"),
        (Method::PUT, "/v2/token/refresh/", "POST"),
        (Method::DELETE, "/v2/token/validate", "POST"),
        (Method::POST, "/ops/healthcheck", "GET"),
    ] {
        let reply = send(emulator.url(), method, path, &[], "").await.unwrap();
        assert_eq!(reply.status.as_u16(), 405, "{path}");
        assert_eq!(reply.header("content-type"), None);
        assert_eq!(reply.header("allow"), Some(allow));
        assert!(reply.body.is_empty());
    }
    assert_eq!(emulator.counters().generate.requests, 0);
}

#[tokio::test]
async fn a_body_over_the_limit_gets_request_too_long_on_every_token_endpoint() {
    let emulator = emulator();
    for path in ["/v2/token/generate", "/v2/token/refresh", "/v2/token/validate/"] {
        let reply = post(&emulator, path, None, None, vec![b'A'; (1 << 20) + 1]).await;
        assert_eq!(reply.status.as_u16(), 413, "{path}");
        assert_eq!(reply.header("content-type"), None);
        assert_eq!(&reply.body[..], b"Request Too Long");
    }
    // Exactly the limit is read (and then refused as a bad envelope).
    let reply = post(&emulator, GENERATE, Some(emulator.api_key()), None, vec![b'A'; 1 << 20]);
    assert_eq!(reply.await.json()["status"], "client_error");
    assert_eq!(emulator.counters().refresh.outcome("payload_too_large"), 1);
}

#[tokio::test]
async fn an_octet_stream_refresh_is_answered_in_raw_bytes() {
    let emulator = emulator();
    for email in [EMAIL, "refresh-optout@example.com"] {
        let identity = generate_identity(&emulator, &json!({ "email": email })).await;
        let token = identity["refresh_token"].as_str().unwrap().to_owned();
        let reply = post(
            &emulator,
            "/v2/token/refresh",
            Some(emulator.api_key()),
            Some("application/octet-stream"),
            token,
        )
        .await;
        assert_eq!(reply.status.as_u16(), 200);
        assert_eq!(reply.header("content-type"), Some("application/octet-stream"));
        let key = identity["refresh_response_key"].as_str().unwrap();
        let key = SecretKey::from_base64(key, "key").unwrap();
        let answer: Value =
            serde_json::from_slice(&open_refresh_response(&key, &reply.body).unwrap()).unwrap();
        let expected = if email == EMAIL { "success" } else { "optout" };
        assert_eq!(answer["status"], expected);
    }
}

#[tokio::test]
async fn an_unknown_charset_is_a_500_as_the_operators_string_decoding_throws() {
    let emulator = emulator();
    let identity = generate_identity(&emulator, &json!({ "email": EMAIL })).await;
    let content_type = Some("application/octet-stream;charset=binary");
    let key = Some(emulator.api_key());
    let generate = seal(&emulator, &json!({ "email": EMAIL })).envelope;
    let validate =
        seal(&emulator, &json!({"email": EMAIL, "token": identity["advertising_token"]}));
    let token = identity["refresh_token"].as_str().unwrap().to_owned();
    for reply in [
        post(&emulator, GENERATE, key, content_type, generate.clone()).await,
        post(&emulator, "/v2/token/validate", key, content_type, validate.envelope).await,
        post(&emulator, "/v2/token/refresh", None, content_type, token).await,
    ] {
        assert_eq!(reply.status.as_u16(), 500);
        assert_eq!(reply.header("content-type"), None);
        assert_eq!(&reply.body[..], b"Internal Server Error");
    }
    // Authentication still comes first.
    assert_eq!(post(&emulator, GENERATE, None, content_type, generate).await.status.as_u16(), 401);
    let counters = emulator.counters();
    assert_eq!(counters.generate.outcome("unknown"), 1);
    assert_eq!(counters.refresh.outcome("unknown"), 1);
    assert_eq!(counters.validate.outcome("unknown"), 1);
}

#[tokio::test]
async fn a_site_without_a_keyset_is_unauthorised_to_validate() {
    let emulator =
        Emulator::start(EmulatorConfig { no_keyset: true, ..EmulatorConfig::default() }).unwrap();
    let identity = generate_identity(&emulator, &json!({ "email": EMAIL })).await;
    let token = identity["advertising_token"].clone();
    let sealed = seal(&emulator, &json!({"email": EMAIL, "token": token}));
    let reply =
        post(&emulator, "/v2/token/validate", Some(emulator.api_key()), None, sealed.base64());
    reply.await.assert_client_error("Unauthorised to validate token");
    let sealed = seal(&emulator, &json!({"email": EMAIL, "token": "E4AAnot-a-token"}));
    post(&emulator, "/v2/token/validate", Some(emulator.api_key()), None, sealed.base64())
        .await
        .assert_client_error("Invalid token");
    // By default the site has a keyset.
    let emulator = crate::support::emulator();
    let identity = generate_identity(&emulator, &json!({ "email": EMAIL })).await;
    let validate = json!({"email": EMAIL, "token": identity["advertising_token"]});
    assert_eq!(call(&emulator, "/v2/token/validate", &validate).await["body"], true);
}
