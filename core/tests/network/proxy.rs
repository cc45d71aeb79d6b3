//! An explicit proxy: HTTPS tunnelled with CONNECT, plain HTTP to loopback forwarded, its
//! credentials right and wrong, its refusal, and the proxy down. Only squid resolves
//! `operator.euid.test`, so a success there went through it.

use std::time::{Duration, Instant};

use euid_core::{Error, ErrorKind, Proxy, ProxyError};

use crate::pki::{pki, tls_emulator, url};
use crate::squid::{squid, PASSWORD, USER};
use crate::{builder, generate_and_refresh, generate_error};

#[tokio::test]
async fn https_goes_through_the_proxy_with_connect() {
    let emulator = tls_emulator();
    let client = builder(&emulator, url(&emulator, "operator.euid.test"))
        .proxy(Proxy::Url(squid().open_url()))
        .ca_certificates_pem(&pki().ca_pem)
        .build()
        .unwrap();
    generate_and_refresh(&client).await;
    drop(client);
    let port = emulator.address().port();
    let tunnels = squid()
        .lines_with(&["TCP_TUNNEL/200 ", &format!(" CONNECT operator.euid.test:{port} ")], 1);
    assert_eq!(tunnels.len(), 1, "{tunnels:?}");
    assert_eq!(emulator.counters().generate.requests, 1);
    assert_eq!(emulator.counters().refresh.requests, 1);
}

#[tokio::test]
async fn the_proxy_sees_the_credentials_of_its_url() {
    let emulator = tls_emulator();
    let client = builder(&emulator, url(&emulator, "operator.euid.test"))
        .proxy(Proxy::Url(squid().auth_url(USER, PASSWORD)))
        .ca_certificates_pem(&pki().ca_pem)
        .build()
        .unwrap();
    generate_and_refresh(&client).await;
    drop(client);
    let port = emulator.address().port();
    let tunnels = squid().lines_with(
        &["TCP_TUNNEL/200 ", &format!(" CONNECT operator.euid.test:{port} {USER} ")],
        1,
    );
    assert_eq!(tunnels.len(), 1, "{tunnels:?}");
}

#[tokio::test]
async fn a_407_is_a_typed_error_without_the_password_and_not_retried() {
    let emulator = tls_emulator();
    let target = format!(" CONNECT operator.euid.test:{} ", emulator.address().port());
    let cases = [
        (squid().auth_url(USER, "wrong-pass-91c2"), true),
        (format!("http://127.0.0.1:{}", squid().auth_port), false),
    ];
    for (attempts, (proxy, sent)) in cases.into_iter().enumerate() {
        let client = builder(&emulator, url(&emulator, "operator.euid.test"))
            .proxy(Proxy::Url(proxy))
            .ca_certificates_pem(&pki().ca_pem)
            .build()
            .unwrap();
        let err = generate_error(&client).await;
        assert_eq!(err.kind(), ErrorKind::ProxyAuthRequired, "{err}");
        assert!(matches!(
            &err,
            Error::Proxy(ProxyError::AuthRequired { credentials_sent, .. }) if *credentials_sent == sent
        ));
        assert_eq!((err.is_retryable(), err.http_status()), (false, Some(407)));
        let text = err.to_string();
        assert!(text.contains(&format!("127.0.0.1:{}", squid().auth_port)), "{text}");
        assert!(!text.contains("wrong-pass") && !text.contains(USER), "{text}");
        drop(client);
        // One CONNECT per call: a 407 is not retried (a retry would have been logged by now).
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(
            squid().lines_with(&["TCP_DENIED/407 ", &target], attempts + 1).len(),
            attempts + 1
        );
    }
    assert_eq!(emulator.counters().generate.requests, 0);
}

#[tokio::test]
async fn a_refused_tunnel_is_a_typed_error_and_not_retried() {
    let emulator = tls_emulator();
    let target = format!("blocked.euid.test:{}", emulator.address().port());
    let client = builder(&emulator, url(&emulator, "blocked.euid.test"))
        .proxy(Proxy::Url(squid().open_url()))
        .ca_certificates_pem(&pki().ca_pem)
        .build()
        .unwrap();
    let err = generate_error(&client).await;
    assert_eq!(err.kind(), ErrorKind::ProxyRefused, "{err}");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains(&target), "{err}");
    drop(client);
    std::thread::sleep(Duration::from_millis(300));
    let refused = squid().lines_with(&["TCP_DENIED/403 ", &format!(" CONNECT {target} ")], 1);
    assert_eq!(refused.len(), 1, "{refused:?}");
}

#[tokio::test]
async fn a_proxy_that_is_down_is_retried_then_reported_within_the_deadline() {
    let emulator = tls_emulator();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down = format!("http://127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);
    let deadline = Duration::from_secs(3);
    let client = builder(&emulator, url(&emulator, "operator.euid.test"))
        .proxy(Proxy::Url(down.clone()))
        .deadline(deadline)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = generate_error(&client).await;
    assert!(started.elapsed() < deadline, "{:?}", started.elapsed());
    assert_eq!(err.kind(), ErrorKind::ProxyUnreachable, "{err}");
    assert!(err.is_retryable());
    assert!(
        err.to_string().starts_with(&format!("proxy error: cannot reach the proxy {down}")),
        "{err}"
    );
}

#[tokio::test]
async fn plain_http_to_loopback_is_forwarded_when_the_proxy_is_explicit() {
    let emulator = euid_emulator::Emulator::start(Default::default()).unwrap();
    let client = builder(&emulator, emulator.url().to_owned())
        .proxy(Proxy::Url(squid().open_url()))
        .build()
        .unwrap();
    generate_and_refresh(&client).await;
    let forwarded =
        squid().lines_with(&["TCP_MISS/200 ", &format!(" POST {}/v2/token/", emulator.url())], 2);
    assert_eq!(forwarded.len(), 2, "{forwarded:?}");

    // Its 407 is the proxy's, not the operator's.
    let client = builder(&emulator, emulator.url().to_owned())
        .proxy(Proxy::Url(squid().auth_url(USER, "wrong-pass-91c2")))
        .build()
        .unwrap();
    let err = generate_error(&client).await;
    assert_eq!(err.kind(), ErrorKind::ProxyAuthRequired, "{err}");
    assert_eq!(emulator.counters().generate.requests, 1);
}
