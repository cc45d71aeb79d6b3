//! Micro-benchmarks of the core's per-call work, and of the raw primitives under it (the
//! floor: one AES-256-GCM seal of a typical envelope, one SHA-256 of an email).
//!
//! `cargo bench -p euid-core --bench core`. With `EUID_BENCH_FIXTURE` pointing at the JSON of
//! `euid-bench-floor fixture` (as `make bench` does), the sealed answers and the identity are
//! real ones from the emulator, the same bytes the Python and JVM benchmarks decrypt; without
//! it, an identity of the same sizes is made up here.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use euid_core::envelope::{
    open_response, seal_refresh_response, seal_request, seal_response, Encoding, SealParams,
};
use euid_core::wire::{self, open_answer, open_refresh_answer};
use euid_core::{hash_email, hash_emails, Identity, Lifecycle, SecretKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const EMAIL: &str = "Jane.Doe+news@Example.com";

/// The batch every language hashes: 10,000 addresses, a quarter of them gmail.com ones.
fn batch_emails() -> Vec<String> {
    (0..10_000)
        .map(|i| {
            if i % 4 == 0 {
                format!("First.Last{i}+x@GMail.com")
            } else {
                format!("User.Name{i}+tag@Example{}.com", i % 100)
            }
        })
        .collect()
}

struct Inputs {
    key: SecretKey,
    params: SealParams,
    request_payload: Vec<u8>,
    generate_response: Vec<u8>,
    refresh_response: Vec<u8>,
    refresh_key: SecretKey,
    identity_json: String,
}

fn made_up_identity() -> String {
    json!({
        "advertising_token": format!("E4{}", "A".repeat(176)),
        "refresh_token": format!("EAA{}", "B".repeat(385)),
        "identity_expires": 1_795_771_654_204i64,
        "refresh_expires": 1_798_104_454_204i64,
        "refresh_from": 1_795_516_054_204i64,
        "refresh_response_key": STANDARD.encode([9u8; 32]),
    })
    .to_string()
}

fn inputs() -> Inputs {
    let fixture: Option<Value> = std::env::var("EUID_BENCH_FIXTURE")
        .ok()
        .map(|path| serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap());
    let text = |name: &str| fixture.as_ref().map(|f| f[name].as_str().unwrap().to_owned());
    let key = SecretKey::from_base64(
        &text("secret").unwrap_or_else(|| STANDARD.encode([7u8; 32])),
        "secret",
    )
    .unwrap();
    let params = SealParams {
        timestamp_ms: fixture
            .as_ref()
            .map_or(1_795_512_454_204, |f| f["timestamp_ms"].as_i64().unwrap()),
        nonce: *b"benchnon",
        iv: *b"bench-iv-12b",
    };
    let identity_json = text("identity_json").unwrap_or_else(made_up_identity);
    let identity = Identity::from_json(&identity_json).unwrap();
    let refresh_key = identity.refresh_key().unwrap().unwrap();
    let decoded = |name: &str| text(name).map(|b64| STANDARD.decode(b64).unwrap());
    let generate_response = decoded("generate_response_b64").unwrap_or_else(|| {
        let answer = json!({"body": identity.to_map(), "status": "success"}).to_string();
        STANDARD.encode(seal_response(&key, answer.as_bytes(), &params)).into_bytes()
    });
    let refresh_response = decoded("refresh_response_b64").unwrap_or_else(|| {
        let answer = json!({"body": identity.to_map(), "status": "success"}).to_string();
        STANDARD
            .encode(seal_refresh_response(&refresh_key, answer.as_bytes(), &params.iv))
            .into_bytes()
    });
    // The fixture holds the decoded bytes; the wire carries base64 text.
    let generate_response = if fixture.is_some() {
        STANDARD.encode(generate_response).into_bytes()
    } else {
        generate_response
    };
    let refresh_response = if fixture.is_some() {
        STANDARD.encode(refresh_response).into_bytes()
    } else {
        refresh_response
    };
    let request_payload = text("request_payload")
        .unwrap_or_else(|| {
            String::from_utf8(
                euid_core::GenerateRequest::new(euid_core::Dii::email(EMAIL).unwrap()).to_json(),
            )
            .unwrap()
        })
        .into_bytes();
    Inputs {
        key,
        params,
        request_payload,
        generate_response,
        refresh_response,
        refresh_key,
        identity_json,
    }
}

fn hashing(c: &mut Criterion) {
    let mut group = c.benchmark_group("hash");
    group.bench_function("email_single", |b| b.iter(|| hash_email(black_box(EMAIL)).unwrap()));
    let emails = batch_emails();
    group.throughput(Throughput::Elements(emails.len() as u64));
    group.bench_function("emails_batch_10000", |b| b.iter(|| hash_emails(black_box(&emails))));
    group.finish();
}

fn envelope(c: &mut Criterion) {
    let inputs = inputs();
    let mut group = c.benchmark_group("envelope");
    group.bench_function("seal_request", |b| {
        b.iter(|| seal_request(&inputs.key, black_box(&inputs.request_payload), &inputs.params))
    });
    group.bench_function("seal_request_base64", |b| {
        b.iter(|| {
            Encoding::Base64.encode(seal_request(
                &inputs.key,
                black_box(&inputs.request_payload),
                &inputs.params,
            ))
        })
    });
    let binary = STANDARD.decode(&inputs.generate_response).unwrap();
    group.bench_function("open_response", |b| {
        b.iter(|| open_response(&inputs.key, black_box(&binary), &inputs.params.nonce).unwrap())
    });
    group.bench_function("open_answer", |b| {
        b.iter(|| {
            open_answer(
                &inputs.key,
                black_box(&inputs.generate_response),
                Encoding::Base64,
                &inputs.params.nonce,
            )
            .unwrap()
        })
    });
    group.bench_function("open_answer_to_identity", |b| {
        b.iter(|| {
            let (_, answer) = open_answer(
                &inputs.key,
                black_box(&inputs.generate_response),
                Encoding::Base64,
                &inputs.params.nonce,
            )
            .unwrap();
            answer.into_generate_outcome().unwrap()
        })
    });
    group.bench_function("open_refresh_answer", |b| {
        b.iter(|| {
            open_refresh_answer(Some(&inputs.refresh_key), black_box(&inputs.refresh_response))
                .unwrap()
        })
    });
    group.finish();
    // Keep `wire` in use for the answer type names in reports.
    let _ = wire::Answer::parse(b"{\"status\":\"success\"}");
}

fn identity(c: &mut Criterion) {
    let inputs = inputs();
    let identity = Identity::from_json(&inputs.identity_json).unwrap();
    let now = identity.refresh_from - 1;
    let mut group = c.benchmark_group("identity");
    group.bench_function("from_json", |b| {
        b.iter(|| Identity::from_json(black_box(&inputs.identity_json)).unwrap())
    });
    group.bench_function("to_json", |b| b.iter(|| black_box(&identity).to_json()));
    group.bench_function("lifecycle_advice", |b| {
        b.iter_batched(
            || identity.clone(),
            |identity| Lifecycle::from_identity(identity, black_box(now)).advice(now),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// The primitives alone: what no implementation of the protocol can avoid.
fn floor(c: &mut Criterion) {
    let inputs = inputs();
    let mut group = c.benchmark_group("floor");
    // A request envelope's plaintext: timestamp, nonce, payload.
    let plaintext_len = 16 + inputs.request_payload.len();
    let key = *inputs.key.as_bytes();
    let iv = inputs.params.iv;
    group.bench_function("aes256gcm_seal_envelope", |b| {
        b.iter_batched_ref(
            || vec![0x5a_u8; plaintext_len],
            |buf| {
                let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(black_box(key)));
                cipher
                    .encrypt_inout_detached(&Nonce::from(iv), &[], buf.as_mut_slice().into())
                    .unwrap()
            },
            BatchSize::SmallInput,
        )
    });
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(key));
    group.bench_function("aes256gcm_seal_envelope_prekeyed", |b| {
        b.iter_batched_ref(
            || vec![0x5a_u8; plaintext_len],
            |buf| {
                cipher
                    .encrypt_inout_detached(&Nonce::from(iv), &[], buf.as_mut_slice().into())
                    .unwrap()
            },
            BatchSize::SmallInput,
        )
    });
    let normalized = euid_core::normalize_email(EMAIL).unwrap();
    group.bench_function("sha256_email", |b| {
        b.iter(|| Sha256::digest(black_box(normalized.as_bytes())))
    });
    group.finish();
}

criterion_group!(benches, hashing, envelope, identity, floor);
criterion_main!(benches);
