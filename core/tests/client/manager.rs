//! The identity manager's guarantees: single-flight refresh, independent users, a failing store,
//! the status listener, and the browser cookie hand-off.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use euid_core::cookie::{self, BrowserIdentity, Cookie};
use euid_core::{
    Error, IdentityManager, IdentityStatus, IdentityStore, MemoryStore, OffsetClock,
    StatusListener, TokenAnswer,
};
use euid_emulator::{Emulator, Fault, FaultEndpoint, FaultKind};

use crate::support::{builder, email, emulator, HOUR_MS};

fn manager_with(
    emulator: &Emulator,
    store: Arc<dyn IdentityStore>,
    listener: Option<Arc<dyn StatusListener>>,
) -> (IdentityManager, Arc<OffsetClock>) {
    let clock = Arc::new(OffsetClock::new());
    let client = builder(emulator).clock(clock.clone()).build().unwrap();
    (IdentityManager::with_options(client, store, clock.clone(), listener), clock)
}

fn advance(emulator: &Emulator, clock: &OffsetClock, ms: i64) {
    emulator.advance_clock_ms(ms);
    clock.advance_ms(ms);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_callers_share_one_refresh() {
    let emulator = emulator();
    let (manager, clock) = manager_with(&emulator, Arc::new(MemoryStore::new()), None);
    manager.establish("alice", &email("alice@example.com")).await.unwrap();
    advance(&emulator, &clock, HOUR_MS);
    // A slow refresh keeps the flight open while every caller joins it.
    emulator
        .set_faults(vec![Fault::new(
            FaultEndpoint::Refresh,
            FaultKind::Latency { latency_ms: 200 },
        )])
        .unwrap();
    let calls = (0..100).map(|_| {
        let manager = manager.clone();
        tokio::spawn(async move { manager.advertising_token("alice").await })
    });
    let mut tokens = std::collections::HashSet::new();
    for call in calls {
        let TokenAnswer::Token(token) = call.await.unwrap().unwrap() else { panic!("no token") };
        tokens.insert(token);
    }
    assert_eq!(emulator.counters().refresh.requests, 1);
    assert_eq!(tokens.len(), 1, "every caller got the refreshed token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_refresh_for_one_user_does_not_block_another() {
    let emulator = emulator();
    let (manager, clock) = manager_with(&emulator, Arc::new(MemoryStore::new()), None);
    manager.establish("slow", &email("slow@example.com")).await.unwrap();
    advance(&emulator, &clock, HOUR_MS);
    manager.establish("fast", &email("fast@example.com")).await.unwrap();
    emulator
        .set_faults(vec![Fault::new(
            FaultEndpoint::Refresh,
            FaultKind::Latency { latency_ms: 1_000 },
        )])
        .unwrap();
    let slow = tokio::spawn({
        let manager = manager.clone();
        async move { manager.advertising_token("slow").await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    assert!(manager.advertising_token("fast").await.unwrap().token().is_some());
    assert!(started.elapsed() < Duration::from_millis(500), "{:?}", started.elapsed());
    assert!(!slow.is_finished(), "the slow refresh was still in flight");
    assert!(slow.await.unwrap().unwrap().token().is_some());
}

/// A store whose writes fail on demand.
#[derive(Debug, Default)]
struct FlakyStore {
    inner: MemoryStore,
    fail_writes: Mutex<bool>,
}

impl FlakyStore {
    fn check(&self) -> euid_core::Result<()> {
        if *self.fail_writes.lock().unwrap() {
            Err(Error::Store("disk full".into()))
        } else {
            Ok(())
        }
    }
}

impl IdentityStore for FlakyStore {
    fn load(&self, user: &str) -> euid_core::Result<Option<euid_core::Identity>> {
        self.inner.load(user)
    }
    fn save(&self, user: &str, identity: &euid_core::Identity) -> euid_core::Result<()> {
        self.check()?;
        self.inner.save(user, identity)
    }
    fn delete(&self, user: &str) -> euid_core::Result<()> {
        self.check()?;
        self.inner.delete(user)
    }
    fn is_opted_out(&self, user: &str) -> euid_core::Result<bool> {
        self.inner.is_opted_out(user)
    }
    fn set_opted_out(&self, user: &str) -> euid_core::Result<()> {
        self.check()?;
        self.inner.set_opted_out(user)
    }
}

/// A store whose loads for one user take half a second.
#[derive(Debug, Default)]
struct SlowStore(MemoryStore);

impl IdentityStore for SlowStore {
    fn load(&self, user: &str) -> euid_core::Result<Option<euid_core::Identity>> {
        if user.starts_with("slow") {
            std::thread::sleep(Duration::from_millis(500));
        }
        self.0.load(user)
    }
    fn save(&self, user: &str, identity: &euid_core::Identity) -> euid_core::Result<()> {
        self.0.save(user, identity)
    }
    fn delete(&self, user: &str) -> euid_core::Result<()> {
        self.0.delete(user)
    }
    fn is_opted_out(&self, user: &str) -> euid_core::Result<bool> {
        self.0.is_opted_out(user)
    }
    fn set_opted_out(&self, user: &str) -> euid_core::Result<()> {
        self.0.set_opted_out(user)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_store_for_some_users_does_not_hold_up_the_others() {
    let emulator = emulator();
    let (manager, _) = manager_with(&emulator, Arc::new(SlowStore::default()), None);
    manager.establish("fast", &email("fast@example.com")).await.unwrap();
    // More slow loads than the SDK runtime has worker threads.
    let slow: Vec<_> = (0..4)
        .map(|i| {
            let manager = manager.clone();
            tokio::spawn(async move { manager.advertising_token(&format!("slow{i}")).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    assert!(manager.advertising_token("fast").await.unwrap().token().is_some());
    assert!(started.elapsed() < Duration::from_millis(300), "{:?}", started.elapsed());
    for call in slow {
        assert_eq!(call.await.unwrap().unwrap(), TokenAnswer::NoIdentity);
    }
}

#[tokio::test]
async fn a_failing_store_is_a_typed_error_and_the_old_identity_survives() {
    let emulator = emulator();
    let store = Arc::new(FlakyStore::default());
    let (manager, clock) = manager_with(&emulator, store.clone(), None);
    manager.establish("alice", &email("alice@example.com")).await.unwrap();
    let before = store.load("alice").unwrap().unwrap();
    advance(&emulator, &clock, HOUR_MS);
    *store.fail_writes.lock().unwrap() = true;
    let err = manager.advertising_token("alice").await.unwrap_err();
    assert_eq!(err, Error::Store("disk full".into()));
    assert_eq!(store.load("alice").unwrap(), Some(before.clone()));
    *store.fail_writes.lock().unwrap() = false;
    let TokenAnswer::Token(token) = manager.advertising_token("alice").await.unwrap() else {
        panic!("no token after the store recovered")
    };
    assert_ne!(token, before.advertising_token);
}

#[derive(Debug, Default)]
struct Recorder(Mutex<Vec<(String, IdentityStatus, IdentityStatus)>>);

impl StatusListener for Recorder {
    fn status_changed(&self, user: &str, old: IdentityStatus, new: IdentityStatus) {
        self.0.lock().unwrap().push((user.to_owned(), old, new));
    }
}

#[tokio::test]
async fn the_listener_hears_every_change() {
    use IdentityStatus::*;
    let emulator = emulator();
    let listener = Arc::new(Recorder::default());
    let (manager, clock) =
        manager_with(&emulator, Arc::new(MemoryStore::new()), Some(listener.clone()));
    manager.establish("alice", &email("alice@example.com")).await.unwrap();
    manager.advertising_token("alice").await.unwrap();
    advance(&emulator, &clock, HOUR_MS);
    manager.advertising_token("alice").await.unwrap();
    manager.logout("alice").unwrap();
    manager.establish("olga", &email("optout@example.com")).await.unwrap();
    let heard = listener.0.lock().unwrap().clone();
    assert_eq!(
        heard,
        vec![
            ("alice".into(), NoIdentity, Established),
            ("alice".into(), Established, Refreshed),
            ("alice".into(), Established, NoIdentity),
            ("olga".into(), NoIdentity, OptOut),
        ]
    );
}

/// The EUID docs' example `__euid` cookie (docs/snippets/_example-euid-cookie.mdx), as the
/// browser SDK writes it: `encodeURIComponent(JSON.stringify(identity))`.
const DOCS_COOKIE_JSON: &str = r#"{"advertising_token":"E4AAAAW2T2Fj-aRzN_G_t-1UP9Ndl-e1kJLCL0b9wTq0UORlRIFjIS4Mz7I3TYy6YrYyIGDwjHWZOifsnYTZawQcCwAkfyp0RbkLhB4Hznodt3ZLHrOYqFmvSrsbEuMrowfoGSJyFz3hj-Q4CArezZzamp1-aoOjJz3s-ydQADH7OapPv5iQBYBiWza3r3tBVY7drUMV8_08aBMqHuLyKzNUvws","identity_expires":1724995694316,"refresh_expires":1727586794316,"refresh_from":1724995094316,"refresh_response_key":"8yaj8hL5gS0fiB7CxvCxG25mDO3QWiqr73oF696QtiU=","refresh_token":"EAAABbf4KYu1LMa4+9wE7SqDIhSnSOMSmneocSaAxYl9ptV7iEOT0899ZUdtaTkSb5fHuArOtanqenPIDESXqg5uhqCDlHZfIqqq6HNBiV4ZZjPm3nA2LJAQ9Za0WydmWcpTdPSapcMyQPvW9CQTZcHNoYTVjtol4nraKDcn6ZGxea/4TA+zeFf9ohBZ8Eyt1zN+JKhB4ccvbCUeFaRrOKYyBUppGdaRiN6bL+d/uKY6XPVCw4lW7BJ87xDRb/JDfkG1bly0sIl3MWaFQK8AzEJJj8dzBYvpYAVXbvpxi/9gDEAzsdF3lT8Mdso8xj4Kx7jp79QDrIBL40E4pSDaNeNMnU8+Yo1nrQVCO2JBEy3kpvn8pUnDjxZlBTZ9I4PkmH/Q","private":{}}"#;

#[test]
fn the_documented_cookie_is_read_and_written_back() {
    let value = cookie::encode_uri_component(DOCS_COOKIE_JSON);
    assert!(value.starts_with("%7B%22advertising_token%22%3A%22E4AAAAW2T2Fj-aRzN_G_t-1UP9Ndl"));
    let BrowserIdentity::Identity(identity) = cookie::parse_browser_value(&value).unwrap() else {
        panic!("not an identity")
    };
    assert_eq!(identity.refresh_from, 1_724_995_094_316);
    assert_eq!(
        identity.refresh_response_key.as_deref(),
        Some("8yaj8hL5gS0fiB7CxvCxG25mDO3QWiqr73oF696QtiU=")
    );
    assert!(identity.extra.contains_key("private"));
    // Local storage holds the same JSON without URI encoding.
    assert_eq!(
        cookie::parse_browser_value(DOCS_COOKIE_JSON).unwrap(),
        BrowserIdentity::Identity(identity.clone())
    );

    let cookie = Cookie::for_identity(&identity, Some(".example.com"));
    assert_eq!(cookie.name, "__euid");
    assert_eq!(cookie.expires_ms, identity.refresh_expires);
    assert_eq!(
        cookie::parse_browser_value(&cookie.value).unwrap(),
        BrowserIdentity::Identity(identity)
    );
    let header = cookie.to_header();
    assert!(header.starts_with("__euid=%7B%22advertising_token%22"));
    assert!(header.ends_with(
        "; Expires=Sun, 29 Sep 2024 05:13:14 GMT; Path=/; Domain=.example.com; Secure; SameSite=Lax"
    ));
}

#[tokio::test]
async fn a_server_identity_goes_to_the_browser_and_comes_back() {
    let emulator = emulator();
    let (manager, _) = manager_with(&emulator, Arc::new(MemoryStore::new()), None);
    manager.establish("alice", &email("alice@example.com")).await.unwrap();
    let identity = manager.identity("alice").unwrap().unwrap();
    let cookie = Cookie::for_identity(&identity, None);
    assert_eq!(
        cookie::parse_browser_value(&cookie.value).unwrap(),
        BrowserIdentity::Identity(identity)
    );
    assert!(matches!(cookie::parse_browser_value("%7Bnot json"), Err(Error::InvalidIdentity(_))));
}
