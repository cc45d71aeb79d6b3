//! UniFFI bindings of `euid-core`: naming and conversion only. Every rule lives in the core.
//!
//! UniFFI generates the types, the objects (constructors, cold methods) and the foreign traits;
//! every operation (hashing, envelopes, client and manager calls) crosses through the door
//! ([`door`]), one C calling convention with one table of operations.
//!
//! The namespace `euid` names the generated modules (`euid.py`, `euid.kt`); the Python package
//! keeps them private in `euid_sdk._native` and the Kotlin ones in `org.euidsdk.internal`, each
//! behind a hand-written idiomatic layer.

#![deny(unsafe_code)]

uniffi::setup_scaffolding!("euid");

mod client;
mod clock;
mod config;
mod cookie;
pub mod door;
mod envelope;
mod error;
mod hashing;
mod lifecycle;
mod logging;
mod manager;
mod memory_store;
mod store;
mod types;

pub use client::PublisherClient;
pub use clock::OffsetClock;
pub use config::{ClientConfig, ProxyChoice};
pub use envelope::OpenedRequest;
pub use error::{ErrorInfo, ErrorKind, EuidError};
pub use lifecycle::{Event, Lifecycle};
pub use manager::{IdentityManager, TokenAnswer};
pub use memory_store::MemoryStore;
pub use store::{IdentityStore, StatusListener};
pub use types::{DiiInput, DiiType, GenerateOutcome, Identity, RefreshOutcome};
