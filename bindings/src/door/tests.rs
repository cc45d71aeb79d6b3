//! The door tested as a foreign caller uses it: bytes in, bytes out, through the C functions,
//! against the emulator.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use euid_emulator::{Emulator, EmulatorConfig};
use uniffi::{Lift, Lower};

use super::*;
use crate::client::PublisherClient;
use crate::config::ClientConfig;
use crate::envelope::OpenedRequest;
use crate::error::ErrorKind;
use crate::manager::{IdentityManager, TokenAnswer};
use crate::memory_store::MemoryStore;
use crate::types::{DiiInput, DiiType, GenerateOutcome, Identity, RefreshOutcome};

type Tag = crate::UniFfiTag;

/// The code of the op named `name`, as a foreign layer looks it up.
fn code(name: &str) -> u32 {
    let names = door_operations();
    let index = names.iter().position(|op| op == name).unwrap_or_else(|| panic!("no op {name}"));
    u32::try_from(index).unwrap()
}

/// Argument bytes, written by the UniFFI converters.
#[derive(Default)]
struct Args(Vec<u8>);

impl Args {
    fn with<T: Lower<Tag>>(mut self, value: T) -> Args {
        T::write(value, &mut self.0);
        self
    }
}

fn dii(email: &str) -> DiiInput {
    DiiInput { dii_type: DiiType::Email, value: email.into() }
}

fn generate_args(email: &str) -> Args {
    Args::default().with(dii(email)).with(None::<String>)
}

/// Calls `euid_call` with an output buffer of `out_cap` bytes; the raw result bytes.
fn call_bytes(op: u32, target: u64, args: &[u8], out_cap: usize) -> Vec<u8> {
    let mut out = vec![0u8; out_cap];
    let mut len = usize::MAX;
    // SAFETY: every buffer is valid for the length given.
    let returned = unsafe {
        euid_call(op, target, args.as_ptr(), args.len(), out.as_mut_ptr(), out_cap, &mut len)
    };
    if returned.is_null() {
        assert!(len <= out_cap, "a result of {len} bytes was written into {out_cap}");
        out.truncate(len);
        out
    } else {
        assert!(len > out_cap, "a result of {len} bytes fits in {out_cap} but was allocated");
        taken(returned, len)
    }
}

/// Copies a buffer returned by the door and gives it back.
fn taken(buf: *mut u8, len: usize) -> Vec<u8> {
    assert!(!buf.is_null());
    // SAFETY: the door returned `len` bytes at `buf`, ours until freed.
    let bytes = unsafe { std::slice::from_raw_parts(buf, len) }.to_vec();
    // SAFETY: given back once, as returned.
    unsafe { euid_free(buf, len) };
    bytes
}

fn decode<T: Lift<Tag>>(bytes: &[u8]) -> Result<T, EuidError> {
    let (tag, mut rest) = bytes.split_first().expect("a tag byte");
    let result = match *tag {
        codec::RESULT_OK => Ok(T::try_read(&mut rest).expect("a value")),
        codec::RESULT_ERR => Err(<EuidError as Lift<Tag>>::try_read(&mut rest).expect("an error")),
        other => panic!("unknown tag {other}"),
    };
    assert!(rest.is_empty(), "the result has {} trailing bytes", rest.len());
    result
}

fn call<T: Lift<Tag>>(name: &str, target: u64, args: &Args) -> Result<T, EuidError> {
    decode(&call_bytes(code(name), target, &args.0, 4096))
}

/// A blocking call of an op with no result value.
fn call_unit(name: &str, target: u64, args: &Args) -> Result<(), EuidError> {
    let bytes = call_bytes(code(name), target, &args.0, 4096);
    match bytes.split_first() {
        Some((&codec::RESULT_OK, [])) => Ok(()),
        _ => decode::<bool>(&bytes).map(|_| panic!("expected no value")),
    }
}

fn config(url: &str, api_key: &str, client_secret: &str) -> ClientConfig {
    ClientConfig {
        base_url: url.into(),
        api_key: api_key.into(),
        client_secret: client_secret.into(),
        timeout_ms: 5000,
        connect_timeout_ms: 2000,
        deadline_ms: 15000,
        max_retries: 0,
        retry_base_delay_ms: 100,
        retry_max_delay_ms: 2000,
        binary_envelopes: false,
        max_response_bytes: 1 << 20,
        client_version: None,
        clock: None,
        proxy: None,
        ca_certificates_pem: None,
        host_root_certificates: Vec::new(),
    }
}

struct Setup {
    _emulator: Emulator,
    client: Arc<PublisherClient>,
    manager: Arc<IdentityManager>,
}

fn setup() -> Setup {
    let emulator = Emulator::start(EmulatorConfig::default()).expect("emulator");
    let config = config(emulator.url(), emulator.api_key(), &emulator.client_secret());
    let client = PublisherClient::new(config).expect("client");
    let store = MemoryStore::new(None).expect("store");
    let manager = IdentityManager::with_memory_store(Arc::clone(&client), store, None, None)
        .expect("manager");
    Setup { _emulator: emulator, client, manager }
}

fn identity_of(outcome: Result<GenerateOutcome, EuidError>) -> Identity {
    match outcome {
        Ok(GenerateOutcome::Success { identity }) => identity,
        other => panic!("expected an identity, got {other:?}"),
    }
}

fn kind_of<T: std::fmt::Debug>(result: Result<T, EuidError>) -> ErrorKind {
    match result {
        Err(err) => err.info().kind,
        Ok(value) => panic!("expected an error, got {value:?}"),
    }
}

fn internal_message<T: std::fmt::Debug>(result: Result<T, EuidError>) -> String {
    match result {
        Err(EuidError::Internal { info }) => info.message,
        other => panic!("expected an internal error, got {other:?}"),
    }
}

const KEY: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

fn seal_args() -> Args {
    Args::default()
        .with(KEY.to_owned())
        .with(b"{\"a\":1}".to_vec())
        .with(1_700_000_000_000i64)
        .with(vec![7u8; 8])
        .with(vec![9u8; 12])
}

fn hash_batch(addresses: &[&str]) -> Vec<u8> {
    let mut batch = u32::try_from(addresses.len()).unwrap().to_be_bytes().to_vec();
    for address in addresses {
        batch.extend_from_slice(&u32::try_from(address.len()).unwrap().to_be_bytes());
    }
    for address in addresses {
        batch.extend_from_slice(address.as_bytes());
    }
    batch
}

#[test]
fn the_table_lists_the_contract_ops_in_order() {
    assert_eq!(
        door_operations(),
        [
            "hash_email",
            "hash_phone",
            "normalize_email",
            "normalize_phone",
            "normalize_email_hash",
            "normalize_phone_hash",
            "hash_emails",
            "envelope_seal_request",
            "envelope_open_request",
            "envelope_seal_response",
            "decrypt_generate_response",
            "decrypt_refresh_response",
            "client_generate",
            "client_refresh",
            "client_validate",
            "manager_establish",
            "manager_advertising_token",
            "manager_logout",
            "manager_status",
            "manager_identity",
        ]
    );
}

#[test]
fn the_free_ops_give_the_core_results() {
    let one = |value: &str| Args::default().with(value.to_owned());
    let hash = "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=";
    assert_eq!(call::<String>("hash_email", 0, &one("USER@example.com")).unwrap(), hash);
    assert_eq!(
        call::<String>("hash_phone", 0, &one("+12345678901")).unwrap(),
        euid_core::hash_phone("+12345678901").unwrap()
    );
    assert_eq!(
        call::<String>("normalize_email", 0, &one(" User.Name@Gmail.com ")).unwrap(),
        euid_core::normalize_email(" User.Name@Gmail.com ").unwrap()
    );
    assert_eq!(call::<String>("normalize_phone", 0, &one("+12345678901")).unwrap(), "+12345678901");
    let hex = "b4c9a289323b21a01c3e940f150eb9b8c542587f1abfd8f0e1cc1ffc5e475514";
    assert_eq!(call::<String>("normalize_email_hash", 0, &one(hex)).unwrap(), hash);
    assert_eq!(call::<String>("normalize_phone_hash", 0, &one(hash)).unwrap(), hash);

    let batch = Args::default().with(hash_batch(&["USER@example.com", "nope", "a@b.c"]));
    let lines = call::<Vec<u8>>("hash_emails", 0, &batch).unwrap();
    let expected = format!("{hash}\n\n{}", euid_core::hash_email("a@b.c").unwrap());
    assert_eq!(String::from_utf8(lines).unwrap(), expected);

    assert_eq!(
        kind_of(call::<String>("hash_email", 0, &one("not an email"))),
        ErrorKind::InvalidEmail
    );
    assert_eq!(kind_of(call::<String>("hash_phone", 0, &one("123"))), ErrorKind::InvalidPhone);
    assert_eq!(
        kind_of(call::<String>("normalize_email_hash", 0, &one("xyz"))),
        ErrorKind::InvalidEmailHash
    );
}

#[test]
fn the_envelope_ops_round_trip() {
    let sealed = call::<Vec<u8>>("envelope_seal_request", 0, &seal_args()).unwrap();
    let open = |key: &str, body: Vec<u8>| {
        let args = Args::default().with(key.to_owned()).with(body).with(true);
        call::<OpenedRequest>("envelope_open_request", 0, &args)
    };
    let opened = open(KEY, sealed.clone()).unwrap();
    assert_eq!(
        (opened.timestamp_ms, opened.nonce, opened.payload),
        (1_700_000_000_000, vec![7; 8], b"{\"a\":1}".to_vec())
    );
    let other_key = format!("{}A=", "B".repeat(42));
    assert_eq!(kind_of(open(&other_key, sealed)), ErrorKind::DecryptionFailed);

    // A response sealed for a generate, then decrypted as the client does.
    let body = br#"{"status":"success","body":{"advertising_token":"a","refresh_token":"r","identity_expires":3,"refresh_from":2,"refresh_expires":4,"refresh_response_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}"#;
    let response_args = Args::default()
        .with(KEY.to_owned())
        .with(body.to_vec())
        .with(1_700_000_000_000i64)
        .with(vec![7u8; 8])
        .with(vec![9u8; 12]);
    let response = call::<Vec<u8>>("envelope_seal_response", 0, &response_args).unwrap();
    let decrypt = |nonce: Vec<u8>| {
        let args =
            Args::default().with(KEY.to_owned()).with(response.clone()).with(true).with(nonce);
        call::<GenerateOutcome>("decrypt_generate_response", 0, &args)
    };
    assert_eq!(identity_of(decrypt(vec![7; 8])).advertising_token, "a");
    assert_eq!(kind_of(decrypt(vec![8; 8])), ErrorKind::NonceMismatch);

    let refresh_body = br#"{"status":"optout"}"#.to_vec();
    let args = Args::default().with(None::<String>).with(refresh_body);
    assert_eq!(
        call::<RefreshOutcome>("decrypt_refresh_response", 0, &args).unwrap(),
        RefreshOutcome::OptOut
    );
}

#[test]
fn the_client_ops_call_the_operator() {
    let setup = setup();
    let client = setup.client.target();
    let identity = identity_of(call("client_generate", client, &generate_args("User@Example.com")));

    let refreshed =
        call::<RefreshOutcome>("client_refresh", client, &Args::default().with(identity.clone()));
    match refreshed {
        Ok(RefreshOutcome::Refreshed { identity: new }) => {
            assert_ne!(new.refresh_token, identity.refresh_token);
        }
        other => panic!("expected a new identity, got {other:?}"),
    }
    let validate = |email: &str| {
        let args = Args::default().with(identity.advertising_token.clone()).with(dii(email));
        call::<bool>("client_validate", client, &args)
    };
    assert_eq!(validate("user@example.com"), Ok(true));
    assert_eq!(validate("other@example.com"), Ok(false));

    assert_eq!(
        kind_of(call::<GenerateOutcome>("client_generate", client, &generate_args("not an email"))),
        ErrorKind::InvalidEmail
    );
}

#[test]
fn an_unauthorized_client_gets_every_field_of_the_error() {
    let emulator = Emulator::start(EmulatorConfig::default()).expect("emulator");
    let client =
        PublisherClient::new(config(emulator.url(), "wrong-key", &emulator.client_secret()))
            .expect("client");
    for result in [
        call::<GenerateOutcome>("client_generate", client.target(), &generate_args("a@b.c")),
        submitted(vec![(code("client_generate"), client.target(), generate_args("a@b.c").0)])
            .remove(0)
            .map(|bytes| decode::<GenerateOutcome>(&bytes))
            .unwrap(),
    ] {
        match result {
            Err(EuidError::Unauthorized { info }) => {
                assert_eq!(info.kind, ErrorKind::Unauthorized);
                assert_eq!(info.http_status, Some(401));
                assert!(!info.is_retryable);
                assert_eq!(info.retry_after_ms, None);
                assert!(!info.message.contains("wrong-key"), "{}", info.message);
            }
            other => panic!("expected unauthorized, got {other:?}"),
        }
    }
}

#[test]
fn the_manager_ops_keep_the_identity() {
    let setup = setup();
    let manager = setup.manager.target();
    let user = || Args::default().with("olga".to_owned());
    let establish =
        Args::default().with("olga".to_owned()).with(dii("olga@example.com")).with(None::<String>);
    identity_of(call("manager_establish", manager, &establish));
    assert_eq!(
        call::<euid_core::IdentityStatus>("manager_status", manager, &user()),
        Ok(euid_core::IdentityStatus::Established)
    );
    assert!(call::<Option<Identity>>("manager_identity", manager, &user()).unwrap().is_some());
    assert!(matches!(
        call::<TokenAnswer>("manager_advertising_token", manager, &user()),
        Ok(TokenAnswer::Token { .. })
    ));
    assert_eq!(call_unit("manager_logout", manager, &user()), Ok(()));
    assert_eq!(call::<Option<Identity>>("manager_identity", manager, &user()), Ok(None));
    assert_eq!(
        call::<TokenAnswer>("manager_advertising_token", manager, &user()),
        Ok(TokenAnswer::NoIdentity)
    );
    let invalid = Args::default().with("olga".to_owned()).with(dii("nope")).with(None::<String>);
    assert_eq!(
        kind_of(call::<GenerateOutcome>("manager_establish", manager, &invalid)),
        ErrorKind::InvalidEmail
    );
}

/// Submits each `(op, target, args)` to a new queue, waits for every result, and returns them
/// in submission order (None for a ticket that got no result).
fn submitted(calls: Vec<(u32, u64, Vec<u8>)>) -> Vec<Option<Vec<u8>>> {
    let queue = euid_queue_new();
    assert_ne!(queue, 0);
    for (ticket, (op, target, args)) in calls.iter().enumerate() {
        // SAFETY: the arguments are valid for their length.
        let status =
            unsafe { euid_submit(*op, *target, args.as_ptr(), args.len(), queue, ticket as u64) };
        assert_eq!(status, 0);
    }
    let results = take_all(queue, calls.len());
    euid_queue_close(queue);
    (0..calls.len() as u64).map(|ticket| results.get(&ticket).cloned()).collect()
}

/// Takes from `queue` until `count` results came (each ticket at most once), or fails after 10 s.
fn take_all(queue: u64, count: usize) -> HashMap<u64, Vec<u8>> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut results = HashMap::new();
    while results.len() < count {
        assert!(Instant::now() < deadline, "only {} of {count} results", results.len());
        let mut len = usize::MAX;
        // SAFETY: a writable length.
        let buf = unsafe { euid_queue_take(queue, 100, &mut len) };
        if buf.is_null() {
            assert_eq!(len, 0);
            continue;
        }
        for (ticket, bytes) in records(&taken(buf, len)) {
            assert!(results.insert(ticket, bytes).is_none(), "ticket {ticket} delivered twice");
        }
    }
    results
}

/// Splits a taken buffer into its (ticket, result bytes) records.
fn records(mut bytes: &[u8]) -> Vec<(u64, Vec<u8>)> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let (ticket, rest) = bytes.split_first_chunk::<8>().expect("a ticket");
        let (len, rest) = rest.split_first_chunk::<4>().expect("a length");
        let len = u32::from_be_bytes(*len) as usize;
        out.push((u64::from_be_bytes(*ticket), rest[..len].to_vec()));
        bytes = &rest[len..];
    }
    out
}

#[test]
fn every_op_submitted_gives_what_the_blocking_call_gives() {
    let setup = setup();
    let (client, manager) = (setup.client.target(), setup.manager.target());
    let identity = identity_of(call("client_generate", client, &generate_args("a@example.com")));
    let user = || Args::default().with("ivan".to_owned());
    let one = |value: &str| Args::default().with(value.to_owned());

    // Deterministic ops: the submitted result is byte for byte the blocking one.
    let deterministic = vec![
        ("hash_email", 0, one("USER@example.com")),
        ("hash_email", 0, one("not an email")),
        ("hash_phone", 0, one("+12345678901")),
        ("normalize_email", 0, one("A@B.C")),
        ("normalize_phone", 0, one("+12345678901")),
        ("normalize_email_hash", 0, one("tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=")),
        ("normalize_phone_hash", 0, one("nope")),
        ("hash_emails", 0, Args::default().with(hash_batch(&["a@b.c", "x"]))),
        ("envelope_seal_request", 0, seal_args()),
        ("envelope_seal_response", 0, seal_args()),
        (
            "envelope_open_request",
            0,
            Args::default().with(KEY.to_owned()).with(vec![1u8; 3]).with(true),
        ),
        (
            "decrypt_generate_response",
            0,
            Args::default().with(KEY.to_owned()).with(vec![1u8; 40]).with(true).with(vec![0u8; 8]),
        ),
        (
            "decrypt_refresh_response",
            0,
            Args::default().with(None::<String>).with(b"{\"status\":\"expired_token\"}".to_vec()),
        ),
        ("manager_status", manager, user()),
        ("manager_identity", manager, user()),
        ("manager_logout", manager, user()),
        ("client_generate", client, generate_args("not an email")),
    ];
    let calls = deterministic
        .iter()
        .map(|(name, target, args)| (code(name), *target, args.0.clone()))
        .collect();
    for ((name, target, args), result) in deterministic.iter().zip(submitted(calls)) {
        assert_eq!(result, Some(call_bytes(code(name), *target, &args.0, 4096)), "{name}");
    }

    // Ops that ask the operator: the same kind of answer.
    let establish =
        Args::default().with("ivan".to_owned()).with(dii("ivan@example.com")).with(None::<String>);
    let token = Args::default().with(identity.advertising_token.clone()).with(dii("a@example.com"));
    let results = submitted(vec![
        (code("client_generate"), client, generate_args("b@example.com").0),
        (code("client_refresh"), client, Args::default().with(identity.clone()).0),
        (code("client_validate"), client, token.0),
        (code("manager_establish"), manager, establish.0),
    ]);
    let results: Vec<Vec<u8>> = results.into_iter().map(Option::unwrap).collect();
    identity_of(decode(&results[0]));
    assert!(matches!(decode::<RefreshOutcome>(&results[1]), Ok(RefreshOutcome::Refreshed { .. })));
    assert_eq!(decode::<bool>(&results[2]), Ok(true));
    identity_of(decode(&results[3]));
    let answer =
        submitted(vec![(code("manager_advertising_token"), manager, user().0)]).remove(0).unwrap();
    assert!(matches!(decode::<TokenAnswer>(&answer), Ok(TokenAnswer::Token { .. })));
}

#[test]
fn sixty_four_concurrent_submits_are_each_delivered_once() {
    let setup = setup();
    let client = setup.client.target();
    let queue = euid_queue_new();
    let threads: Vec<_> = (0..4u64)
        .map(|thread| {
            std::thread::spawn(move || {
                for i in 0..16u64 {
                    let ticket = thread * 16 + i;
                    let args = generate_args(&format!("user{ticket}@example.com")).0;
                    // SAFETY: the arguments are valid for their length.
                    let status = unsafe {
                        euid_submit(
                            code("client_generate"),
                            client,
                            args.as_ptr(),
                            args.len(),
                            queue,
                            ticket,
                        )
                    };
                    assert_eq!(status, 0);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let results = take_all(queue, 64);
    let mut tokens = std::collections::HashSet::new();
    for ticket in 0..64 {
        tokens.insert(identity_of(decode(&results[&ticket])).advertising_token);
    }
    assert_eq!(tokens.len(), 64);
    let mut len = usize::MAX;
    // SAFETY: a writable length.
    assert!(unsafe { euid_queue_take(queue, 20, &mut len) }.is_null(), "nothing more arrives");
    euid_queue_close(queue);
}

#[test]
fn bad_calls_get_typed_errors_not_crashes() {
    let args = Args::default().with("a@b.c".to_owned()).0;
    let hash_email = code("hash_email");

    let unknown = call_bytes(99, 0, &args, 4096);
    assert_eq!(internal_message(decode::<String>(&unknown)), "unknown operation code 99");
    assert!(internal_message(call::<String>("hash_email", 5, &Args(args.clone())))
        .contains("no target"));

    // Malformed arguments: cut short, trailing bytes, not the type.
    let cut = call_bytes(hash_email, 0, &args[..args.len() - 1], 4096);
    assert!(
        internal_message(decode::<String>(&cut)).contains("malformed arguments for `hash_email`")
    );
    let trailing = call_bytes(hash_email, 0, &[args.as_slice(), &[0]].concat(), 4096);
    assert!(
        internal_message(decode::<String>(&trailing)).contains("1 bytes after the last argument")
    );
    let bad_option_tag = Args::default().with(7u8).with(Vec::<u8>::new());
    assert_eq!(
        internal_message(call::<RefreshOutcome>("decrypt_refresh_response", 0, &bad_option_tag)),
        "malformed arguments for `decrypt_refresh_response`: cannot read `key_base64`"
    );

    // Null pointers.
    let mut len = usize::MAX;
    // SAFETY: a null `out_len` is refused before anything runs.
    let nothing = unsafe {
        euid_call(
            hash_email,
            0,
            args.as_ptr(),
            args.len(),
            std::ptr::null_mut(),
            0,
            std::ptr::null_mut(),
        )
    };
    assert!(nothing.is_null());
    // SAFETY: null arguments with a length are reported, not read.
    let buf =
        unsafe { euid_call(hash_email, 0, std::ptr::null(), 8, std::ptr::null_mut(), 0, &mut len) };
    assert!(internal_message(decode::<String>(&taken(buf, len))).contains("null"));
    // SAFETY: null arguments of length 0 are an empty argument list.
    let buf =
        unsafe { euid_call(hash_email, 0, std::ptr::null(), 0, std::ptr::null_mut(), 0, &mut len) };
    assert!(internal_message(decode::<String>(&taken(buf, len))).contains("cannot read `email`"));
    // SAFETY: a null `out_len` is refused before anything waits.
    assert!(unsafe { euid_queue_take(euid_queue_new(), -1, std::ptr::null_mut()) }.is_null());
    // SAFETY: freeing null is a no-op.
    unsafe { euid_free(std::ptr::null_mut(), 10) };
    // SAFETY: an unknown queue is refused before the arguments are read.
    assert_eq!(unsafe { euid_submit(hash_email, 0, std::ptr::null(), 8, 0, 1) }, -1);
    assert_eq!(euid_queue_fd(0), -1);
    // SAFETY: as above.
    assert!(unsafe { euid_queue_take(0, -1, &mut len) }.is_null());
    assert_eq!(len, 0);
    euid_queue_close(0);

    // Submitted bad calls post their error under the ticket.
    let results = submitted(vec![
        (99, 0, args.clone()),
        (hash_email, 0, args[..2].to_vec()),
        (code("client_generate"), 12345, generate_args("a@b.c").0),
    ]);
    let results: Vec<Vec<u8>> = results.into_iter().map(Option::unwrap).collect();
    assert!(internal_message(decode::<String>(&results[0])).contains("unknown operation"));
    assert!(internal_message(decode::<String>(&results[1])).contains("malformed"));
    assert_eq!(kind_of(decode::<GenerateOutcome>(&results[2])), ErrorKind::Closed);
}

#[test]
fn closed_and_unknown_targets_are_closed_errors() {
    let setup = setup();
    let (client, manager) = (Arc::clone(&setup.client), Arc::clone(&setup.manager));
    let user = Args::default().with("u".to_owned());
    let closed = |result: Result<(), EuidError>, message: &str| match result {
        Err(EuidError::Closed { info }) => {
            assert_eq!(info.kind, ErrorKind::Closed);
            assert_eq!(info.message, message);
        }
        other => panic!("expected closed, got {other:?}"),
    };
    closed(
        call::<GenerateOutcome>("client_generate", 987_654, &generate_args("a@b.c")).map(drop),
        "the client is closed",
    );
    closed(
        call::<GenerateOutcome>("client_generate", manager.target(), &generate_args("a@b.c"))
            .map(drop),
        "the client is closed",
    );
    closed(call_unit("manager_logout", client.target(), &user), "the identity manager is closed");

    client.close_target();
    client.close_target();
    closed(
        call::<GenerateOutcome>("client_generate", client.target(), &generate_args("a@b.c"))
            .map(drop),
        "the client is closed",
    );
    closed(client.base_url().map(drop), "the client is closed");
    // The manager keeps its own client.
    assert_eq!(call_unit("manager_logout", manager.target(), &user), Ok(()));
    closed(
        IdentityManager::with_memory_store(
            Arc::clone(&client),
            MemoryStore::new(None).unwrap(),
            None,
            None,
        )
        .map(drop),
        "the client is closed",
    );

    let target = manager.target();
    drop(setup);
    drop(manager);
    closed(call_unit("manager_logout", target, &user), "the identity manager is closed");
}

#[test]
fn a_result_larger_than_the_buffer_comes_in_a_new_one() {
    let args = seal_args();
    let op = code("envelope_seal_request");
    let fitting = call_bytes(op, 0, &args.0, 4096);
    assert!(fitting.len() > 16);
    assert_eq!(call_bytes(op, 0, &args.0, 16), fitting);
    assert_eq!(call_bytes(op, 0, &args.0, fitting.len()), fitting);
    assert_eq!(call_bytes(op, 0, &args.0, 0), fitting);
    let mut len = 0;
    // SAFETY: a null `out` with capacity 0 asks for a new buffer.
    let buf = unsafe {
        euid_call(op, 0, args.0.as_ptr(), args.0.len(), std::ptr::null_mut(), 100, &mut len)
    };
    assert_eq!(taken(buf, len), fitting);
}

/// Whether `fd` becomes readable within `timeout_ms`, as an event loop's poll sees it.
fn fd_readable(fd: i32, timeout_ms: i32) -> bool {
    super::queue::readable(fd, timeout_ms)
}

#[test]
fn the_fd_is_readable_while_results_wait_and_take_drains_it() {
    let queue = euid_queue_new();
    let fd = euid_queue_fd(queue);
    assert!(fd >= 0);
    assert!(!fd_readable(fd, 0));
    let args = Args::default().with("a@b.c".to_owned()).0;
    for ticket in [1, 2] {
        // SAFETY: the arguments are valid for their length.
        assert_eq!(
            unsafe { euid_submit(code("hash_email"), 0, args.as_ptr(), args.len(), queue, ticket) },
            0
        );
    }
    assert!(fd_readable(fd, 5000), "readable once a result waits");
    let results = take_all(queue, 2);
    assert_eq!(results.len(), 2);
    assert!(!fd_readable(fd, 0), "drained by take");
    let mut len = usize::MAX;
    // SAFETY: a writable length.
    assert!(unsafe { euid_queue_take(queue, 0, &mut len) }.is_null());
    assert_eq!(len, 0);
    euid_queue_close(queue);
}

#[test]
fn close_wakes_a_take_waiting_forever_and_refuses_later_submits() {
    let queue = euid_queue_new();
    let waiter = std::thread::spawn(move || {
        let mut len = usize::MAX;
        // SAFETY: a writable length.
        let buf = unsafe { euid_queue_take(queue, -1, &mut len) };
        (buf.is_null(), len)
    });
    std::thread::sleep(Duration::from_millis(100));
    assert!(!waiter.is_finished(), "take(-1) waits");
    euid_queue_close(queue);
    assert_eq!(waiter.join().unwrap(), (true, 0));
    let args = Args::default().with("a@b.c".to_owned()).0;
    // SAFETY: the arguments are valid for their length.
    assert_eq!(
        unsafe { euid_submit(code("hash_email"), 0, args.as_ptr(), args.len(), queue, 1) },
        -1
    );
    assert_eq!(euid_queue_fd(queue), -1);
}

#[test]
fn memory_store_shell_keeps_identities_as_json() {
    assert_eq!(kind_of(MemoryStore::new(Some(0)).map(drop)), ErrorKind::InvalidArgument);
    let store = MemoryStore::new(Some(1)).unwrap();
    assert_eq!(store.max_users(), Some(1));
    assert_eq!(store.is_empty(), Ok(true));
    let json = r#"{"advertising_token":"a","refresh_token":"r","identity_expires":3,"refresh_from":2,"refresh_expires":4}"#;
    store.save("a".into(), json.into()).unwrap();
    assert!(store.load("a".into()).unwrap().unwrap().contains("\"advertising_token\":\"a\""));
    store.set_opted_out("b".into()).unwrap();
    assert_eq!(store.len(), Ok(1), "b evicted a");
    assert_eq!(store.load("a".into()), Ok(None));
    assert_eq!(store.is_opted_out("b".into()), Ok(true));
    assert_eq!(kind_of(store.save("c".into(), "{".into())), ErrorKind::InvalidIdentity);
    store.close_target();
    assert_eq!(kind_of(store.len()), ErrorKind::Closed);
}
