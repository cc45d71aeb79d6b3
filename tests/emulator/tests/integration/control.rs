//! The control API: clock, counters, reset, routing.

use hyper::Method;
use serde_json::{json, Value};

use crate::support::*;

#[tokio::test]
async fn the_clock_can_be_read_set_advanced_and_frozen() {
    let emulator = emulator();
    let clock = control(&emulator, Method::GET, "/emulator/clock", Value::Null).await.json();
    assert!(clock["offset_ms"].as_i64().unwrap().abs() < 1_000);
    assert_eq!(clock["frozen"], false);
    let target = 2_000_000_000_000i64;
    let clock =
        control(&emulator, Method::POST, "/emulator/clock", json!({"now_ms": target})).await.json();
    assert!((clock["now_ms"].as_i64().unwrap() - target).abs() < 1_000);
    let clock = control(
        &emulator,
        Method::POST,
        "/emulator/clock",
        json!({"now_ms": target, "frozen": true}),
    )
    .await
    .json();
    assert_eq!((clock["now_ms"].as_i64(), clock["frozen"].as_bool()), (Some(target), Some(true)));
    let clock = control(&emulator, Method::POST, "/emulator/clock", json!({"advance_ms": 5_000}))
        .await
        .json();
    assert_eq!(clock["now_ms"], target + 5_000);
    assert_eq!(emulator.now_ms(), target + 5_000);
    let clock =
        control(&emulator, Method::POST, "/emulator/clock", json!({"frozen": false})).await.json();
    assert_eq!(clock["frozen"], false);
    for bad in [json!({}), json!({"now_ms": 1, "advance_ms": 2}), json!({"now_ms": "soon"})] {
        let reply = control(&emulator, Method::POST, "/emulator/clock", bad).await;
        assert_eq!(reply.status.as_u16(), 400);
    }
}

#[tokio::test]
async fn counters_count_requests_and_outcomes_per_endpoint() {
    let emulator = emulator();
    generate_identity(&emulator, &json!({"email": "a@b.com"})).await;
    call(&emulator, "/v2/token/generate", &json!({"email": "optout@example.com"})).await;
    post(&emulator, "/v2/token/generate", None, None, "").await;
    post(&emulator, "/v2/token/generate", Some(emulator.api_key()), None, "").await;
    post(&emulator, "/v2/token/refresh", Some(emulator.api_key()), None, "x").await;
    post(&emulator, "/v2/token/refresh", None, None, "x").await;
    let counters = control(&emulator, Method::GET, "/emulator/counters", Value::Null).await.json();
    assert_eq!(
        counters,
        json!({
            "generate": {"requests": 4, "outcomes": {"success": 1, "optout": 1, "unauthorized": 1, "client_error": 1}},
            "refresh": {"requests": 2, "outcomes": {"invalid_token": 1, "error": 1}},
            "validate": {"requests": 0, "outcomes": {}},
        })
    );
    assert_eq!(emulator.counters().generate.outcome("success"), 1);
}

#[tokio::test]
async fn reset_clears_counters_faults_optouts_and_the_clock() {
    let emulator = emulator();
    emulator.opt_out_email("jane@example.com").unwrap();
    emulator.advance_clock_ms(86_400_000);
    control(
        &emulator,
        Method::POST,
        "/emulator/faults",
        json!({"faults": [{"kind": "html", "endpoint": "validate"}]}),
    )
    .await;
    call(&emulator, "/v2/token/generate", &json!({"email": "jane@example.com"})).await;
    let reply = control(&emulator, Method::POST, "/emulator/reset", Value::Null).await;
    assert_eq!(reply.json(), json!({"reset": true}));
    assert_eq!(emulator.counters(), euid_emulator::CountersSnapshot::default());
    assert!(emulator.faults().is_empty());
    assert!(emulator.clock_offset_ms().abs() < 1_000);
    generate_identity(&emulator, &json!({"email": "jane@example.com"})).await;
}

#[tokio::test]
async fn opt_out_requests_need_exactly_one_valid_identity() {
    let emulator = emulator();
    for body in [
        json!({}),
        json!({"email": "a@b.com", "phone": "+12345678901"}),
        json!({"phone": "123"}),
        json!([1]),
    ] {
        let reply = control(&emulator, Method::POST, "/emulator/optout", body).await;
        assert_eq!(reply.status.as_u16(), 400);
    }
    assert!(emulator.opt_out_phone("123").is_err());
    emulator.opt_out_phone_hash("EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4=").unwrap();
    emulator
        .opt_out_email_hash("0c7e6a405862e402eb76a70f8a26fc732d07c32931e9fae9ab1582911d2e8a3b")
        .unwrap();
    let answer = call(&emulator, "/v2/token/generate", &json!({"email": "foo@bar.com"})).await;
    assert_eq!(answer["status"], "optout");
}

#[tokio::test]
async fn unknown_routes_are_404_wrong_methods_405_and_the_healthcheck_answers_ok() {
    let emulator = emulator();
    let reply = send(emulator.url(), Method::GET, "/ops/healthcheck", &[], "").await.unwrap();
    assert_eq!((reply.status.as_u16(), &reply.body[..]), (200, &b"OK"[..]));
    let reply = send(emulator.url(), Method::GET, "/v2/token/generate", &[], "").await.unwrap();
    assert_eq!(reply.status.as_u16(), 405);
    assert_eq!(reply.header("allow"), Some("POST"));
    assert_eq!(reply.header("content-type"), None);
    for path in ["/v2/token/logout", "/v1/token/generate", "/", "/v2/identity/map"] {
        let reply = send(emulator.url(), Method::POST, path, &[], "").await.unwrap();
        assert_eq!(reply.status.as_u16(), 404, "{path}");
        assert_eq!(reply.header("content-type"), Some("text/html; charset=utf-8"));
        assert_eq!(reply.header("date"), None);
    }
    let reply = send(emulator.url(), Method::GET, "/emulator/nothing", &[], "").await.unwrap();
    assert_eq!(reply.status.as_u16(), 404);
    let reply = send(emulator.url(), Method::PUT, "/emulator/reset", &[], "").await.unwrap();
    assert_eq!(reply.status.as_u16(), 405);
    // A query string (e.g. ?client=...) does not change the route.
    let reply = send(emulator.url(), Method::POST, "/v2/token/generate?client=euid-sdk-1", &[], "")
        .await
        .unwrap();
    assert_eq!(reply.status.as_u16(), 401);
}

#[tokio::test]
async fn one_connection_serves_many_requests() {
    use http_body_util::{BodyExt, Full};
    let emulator = emulator();
    let address = emulator.url().trim_start_matches("http://").to_owned();
    let stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.unwrap();
    tokio::spawn(connection);
    for _ in 0..5 {
        let sealed = seal(&emulator, &json!({"email": "a@b.com"}));
        let request = hyper::Request::post("/v2/token/generate")
            .header("host", &address)
            .header("authorization", format!("Bearer {}", emulator.api_key()))
            .body(Full::new(bytes::Bytes::from(sealed.base64())))
            .unwrap();
        let response = sender.send_request(request).await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
        response.into_body().collect().await.unwrap();
    }
    assert_eq!(emulator.counters().generate.requests, 5);
}
