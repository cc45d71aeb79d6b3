//! The proxy from the environment, as curl reads it: `HTTPS_PROXY` / `https_proxy`, else
//! `ALL_PROXY` / `all_proxy`, unless `NO_PROXY` / `no_proxy` lists the host; loopback hosts
//! direct; and the platform's trust store, `SSL_CERT_FILE` included. Each test holds the lock
//! while it changes the environment.

use std::sync::{Mutex, MutexGuard};

use euid_core::{Dii, Error, ErrorKind, GenerateOutcome, GenerateRequest, Proxy};

use crate::pki::{pki, tls_emulator, url};
use crate::squid::{squid, PASSWORD, USER};
use crate::{builder, generate_and_refresh, generate_error};

const VARIABLES: [&str; 9] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "SSL_CERT_FILE",
];

/// The environment, cleared of proxy variables then set to `vars`, while the guard lives.
fn environment(vars: &[(&str, String)]) -> Environment {
    static LOCK: Mutex<()> = Mutex::new(());
    let guard = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    clear();
    for (name, value) in vars {
        std::env::set_var(name, value);
    }
    Environment { _lock: guard }
}

fn clear() {
    for name in VARIABLES {
        std::env::remove_var(name);
    }
}

/// Holds the lock; clears the variables again when dropped, so that no later test (of this
/// module or another) builds its client with them (a leftover `SSL_CERT_FILE` naming a deleted
/// file made the platform verifier fail the next TLS clients).
struct Environment {
    _lock: MutexGuard<'static, ()>,
}

impl Drop for Environment {
    fn drop(&mut self) {
        clear();
    }
}

#[tokio::test]
async fn each_variable_name_selects_the_proxy() {
    let emulator = tls_emulator();
    let port = emulator.address().port();
    let tunnel = format!(" CONNECT operator.euid.test:{port} ");
    for (count, name) in
        ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"].into_iter().enumerate()
    {
        let client = {
            let _env = environment(&[(name, squid().open_url())]);
            builder(&emulator, url(&emulator, "operator.euid.test"))
                .ca_certificates_pem(&pki().ca_pem)
                .build()
                .unwrap()
        };
        generate_and_refresh(&client).await;
        drop(client);
        let tunnels = squid().lines_with(&["TCP_TUNNEL/200 ", &tunnel], count + 1);
        assert_eq!(tunnels.len(), count + 1, "{name}: {tunnels:?}");
    }
}

#[tokio::test]
async fn credentials_in_the_variable_are_sent() {
    let emulator = tls_emulator();
    let client = {
        let _env = environment(&[("HTTPS_PROXY", squid().auth_url(USER, PASSWORD))]);
        builder(&emulator, url(&emulator, "operator.euid.test"))
            .ca_certificates_pem(&pki().ca_pem)
            .build()
            .unwrap()
    };
    generate_and_refresh(&client).await;
    let client = {
        let _env = environment(&[("HTTPS_PROXY", squid().auth_url(USER, "wrong-pass-91c2"))]);
        builder(&emulator, url(&emulator, "operator.euid.test"))
            .ca_certificates_pem(&pki().ca_pem)
            .build()
            .unwrap()
    };
    let err = generate_error(&client).await;
    assert_eq!(err.kind(), ErrorKind::ProxyAuthRequired, "{err}");
    assert!(!err.to_string().contains("wrong-pass"), "{err}");
}

#[tokio::test]
async fn no_proxy_and_direct_bypass_it() {
    let emulator = tls_emulator();
    let port = emulator.address().port();
    let settings = [
        (Some(".euid.test"), Proxy::FromEnvironment),
        (Some("operator.euid.test"), Proxy::FromEnvironment),
        (Some("*"), Proxy::FromEnvironment),
        (None, Proxy::Direct),
    ];
    for (no_proxy, proxy) in settings {
        let client = {
            let mut vars = vec![("HTTPS_PROXY", squid().open_url())];
            vars.extend(no_proxy.map(|hosts| ("no_proxy", hosts.to_owned())));
            let _env = environment(&vars);
            builder(&emulator, url(&emulator, "operator.euid.test"))
                .proxy(proxy)
                .ca_certificates_pem(&pki().ca_pem)
                .max_retries(0)
                .build()
                .unwrap()
        };
        // Straight to a name only the proxy resolves: the lookup fails here.
        let err = generate_error(&client).await;
        assert!(matches!(err, Error::Network(_)), "{no_proxy:?}: {err:?}");
        assert!(err.to_string().contains("dns error"), "{err}");
    }
    assert!(squid().lines_with(&[&format!(" CONNECT operator.euid.test:{port} ")], 1).is_empty());
}

#[tokio::test]
async fn loopback_hosts_ignore_the_environment() {
    let emulator = tls_emulator();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down = format!("http://127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);
    let plain = euid_emulator::Emulator::start(Default::default()).unwrap();
    let clients = {
        let vars: Vec<_> = VARIABLES[..6].iter().map(|name| (*name, down.clone())).collect();
        let _env = environment(&vars);
        [
            builder(&emulator, url(&emulator, "localhost"))
                .ca_certificates_pem(&pki().ca_pem)
                .build()
                .unwrap(),
            builder(&plain, plain.url().to_owned()).build().unwrap(),
        ]
    };
    for client in &clients {
        generate_and_refresh(client).await;
    }
}

#[test]
fn a_socks_or_https_proxy_in_the_environment_is_a_config_error() {
    let emulator = tls_emulator();
    for value in ["socks5://127.0.0.1:1080", "https://127.0.0.1:3128"] {
        let _env = environment(&[("ALL_PROXY", value.to_owned())]);
        let err = builder(&emulator, url(&emulator, "operator.euid.test")).build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{value}: {err:?}");
    }
}

#[test]
fn the_platform_store_is_trusted_by_default() {
    let emulator = tls_emulator();
    let dir = std::env::temp_dir().join(format!("euid-network-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bundle = dir.join("ca.pem");
    std::fs::write(&bundle, &pki().ca_pem).unwrap();
    let request = GenerateRequest::new(Dii::email("jane.doe@example.com").unwrap());
    // The platform's roots are loaded on the first request: the lock is held until it is done.
    let outcomes: Vec<_> = [None, Some(&bundle)]
        .into_iter()
        .map(|file| {
            let vars: Vec<_> = file
                .map(|file| ("SSL_CERT_FILE", file.display().to_string()))
                .into_iter()
                .collect();
            let _env = environment(&vars);
            let client = builder(&emulator, url(&emulator, "localhost")).build().unwrap();
            euid_core::blocking::PublisherClient::from_async(client).generate_token(&request)
        })
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    let err = outcomes[0].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UntrustedCertificate, "{err}");
    assert!(matches!(outcomes[1], Ok(GenerateOutcome::Success(_))), "{:?}", outcomes[1]);
}
