//! # euid-core
//!
//! The EUID (European Unified ID) publisher SDK: everything that must be right, in one place.
//! Email normalization and hashing, the v2 envelope crypto, the identity lifecycle and the
//! client of the operator's `/v2/token/generate`, `/v2/token/refresh` and
//! `/v2/token/validate` endpoints. The Python and Kotlin packages are bindings of this crate.
//!
//! ## Getting started
//!
//! ```no_run
//! use euid_core::{Dii, Environment, GenerateOutcome, GenerateRequest, PublisherClient,
//!                 RefreshOutcome};
//!
//! # async fn run() -> euid_core::Result<()> {
//! let client = PublisherClient::builder(Environment::Integration, "my-api-key", "my-client-secret")
//!     .build()?;
//!
//! // 1. The user signs in: generate from the hashed email (hashed here, never sent raw).
//! let request = GenerateRequest::new(Dii::email("jane.doe@example.com")?);
//! let identity = match client.generate_token(&request).await? {
//!     GenerateOutcome::Success(identity) => identity,
//!     GenerateOutcome::OptOut | GenerateOutcome::InsufficientConsent => return Ok(()),
//! };
//! let stored = identity.to_json(); // keep it with the user's session
//!
//! // 2. Bid with `identity.advertising_token`.
//! // 3. When the user comes back, from `refresh_from` on, refresh.
//! let identity = euid_core::Identity::from_json(&stored)?;
//! match client.refresh_token(&identity).await? {
//!     RefreshOutcome::Refreshed(new_identity) => { /* store new_identity */ }
//!     RefreshOutcome::OptOut => { /* delete the identity, never generate again */ }
//!     RefreshOutcome::ExpiredToken | RefreshOutcome::InvalidToken => { /* sign-in again */ }
//! }
//! # Ok(()) }
//! ```

pub mod blocking;
mod client;
mod clock;
mod clock_sync;
mod config;
pub mod cookie;
mod credentials;
mod dii;
pub mod envelope;
mod error;
mod error_kind;
mod http;
mod identity;
mod lifecycle;
mod manager;
mod normalize;
mod outcome;
mod proxy;
mod redact;
mod retry;
pub mod runtime;
mod status;
mod store;
mod trust;
pub mod wire;

pub use client::PublisherClient;
pub use clock::{system_now_ms, Clock, OffsetClock, SystemClock};
pub use config::{
    ClientBuilder, Environment, DEFAULT_CLIENT_VERSION, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, INTEGRATION_URL, PRODUCTION_URL,
};
pub use credentials::{Credentials, SecretKey};
pub use dii::{Dii, DiiKind};
pub use envelope::Encoding;
pub use error::{Error, InputError, ProtocolError, ProxyError, Result};
pub use error_kind::ErrorKind;
pub use http::CLIENT_VERSION_HEADER;
pub use identity::{Identity, MAX_IDENTITY_JSON_BYTES};
pub use lifecycle::{Advice, Event, IdentityStatus, Lifecycle};
pub use manager::{IdentityManager, StatusListener};
pub use normalize::{
    hash_email, hash_emails, hash_phone, normalize_email, normalize_email_hash, normalize_phone,
    normalize_phone_hash, sha256_base64, MAX_INPUT_BYTES,
};
pub use outcome::{GenerateOutcome, RefreshOutcome, TokenAnswer};
pub use proxy::Proxy;
pub use redact::redact_failure;
pub use retry::{
    RetryPolicy, DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BASE_DELAY, DEFAULT_RETRY_MAX_DELAY,
};
pub use status::OperatorStatus;
pub use store::{IdentityStore, MemoryStore};
pub use wire::GenerateRequest;
