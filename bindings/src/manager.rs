//! `IdentityManager`: a shell over the core manager, and the bodies of the door's manager ops.

use std::future::Future;
use std::sync::Arc;

use euid_core::IdentityStatus;

use crate::client::PublisherClient;
use crate::clock::OffsetClock;
use crate::door::registry::{self, Target};
use crate::error::EuidError;
use crate::memory_store::MemoryStore;
use crate::store::{ForeignListener, ForeignStore, IdentityStore, StatusListener};
use crate::types::{generate_request, DiiInput, GenerateOutcome, Identity};

/// What `advertising_token` found for a user.
#[derive(Clone, PartialEq, Eq, uniffi::Enum)]
pub enum TokenAnswer {
    /// Send this advertising token to the SSP.
    Token { advertising_token: String },
    /// No identity is stored: establish one at the next sign-in.
    NoIdentity,
    /// The user opted out: never send a token for them.
    OptedOut,
    /// The refresh token expired: the user must sign in again.
    RefreshExpired,
    /// The identity is not usable: the user must sign in again.
    Invalid,
}

impl std::fmt::Debug for TokenAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TokenAnswer::Token { .. } => "Token(<redacted>)",
            TokenAnswer::NoIdentity => "NoIdentity",
            TokenAnswer::OptedOut => "OptedOut",
            TokenAnswer::RefreshExpired => "RefreshExpired",
            TokenAnswer::Invalid => "Invalid",
        })
    }
}

impl From<euid_core::TokenAnswer> for TokenAnswer {
    fn from(answer: euid_core::TokenAnswer) -> Self {
        match answer {
            euid_core::TokenAnswer::Token(advertising_token) => {
                TokenAnswer::Token { advertising_token }
            }
            euid_core::TokenAnswer::NoIdentity => TokenAnswer::NoIdentity,
            euid_core::TokenAnswer::OptedOut => TokenAnswer::OptedOut,
            euid_core::TokenAnswer::RefreshExpired => TokenAnswer::RefreshExpired,
            euid_core::TokenAnswer::Invalid => TokenAnswer::Invalid,
        }
    }
}

/// Keeps each user's identity: establish, refresh when due (one refresh per user at a time),
/// opt-out, logout. A shell over the core manager, which lives in the door's registry; its
/// calls go through the door with [`target`](IdentityManager::target).
#[derive(Debug, uniffi::Object)]
pub struct IdentityManager {
    target: u64,
}

fn register(
    client: &PublisherClient,
    store: Arc<dyn euid_core::IdentityStore>,
    clock: Option<Arc<OffsetClock>>,
    listener: Option<Arc<dyn StatusListener>>,
) -> Result<Arc<IdentityManager>, EuidError> {
    let clock: Arc<dyn euid_core::Clock> = match clock {
        Some(clock) => clock.inner.clone(),
        None => Arc::new(euid_core::SystemClock),
    };
    let listener = listener
        .map(|listener| Arc::new(ForeignListener(listener)) as Arc<dyn euid_core::StatusListener>);
    let manager = euid_core::IdentityManager::with_options(client.core()?, store, clock, listener);
    Ok(Arc::new(IdentityManager { target: registry::register(Target::Manager(manager)) }))
}

#[uniffi::export]
impl IdentityManager {
    /// A manager over `client` keeping identities in a store written in the host language;
    /// `clock` defaults to the system clock. Fails with `Closed` if `client` is closed.
    #[uniffi::constructor]
    pub fn new(
        client: Arc<PublisherClient>,
        store: Arc<dyn IdentityStore>,
        clock: Option<Arc<OffsetClock>>,
        listener: Option<Arc<dyn StatusListener>>,
    ) -> Result<Arc<Self>, EuidError> {
        register(&client, Arc::new(ForeignStore(store)), clock, listener)
    }

    /// A manager over `client` keeping identities in the SDK's own [`MemoryStore`] (no call
    /// into the host language). Fails with `Closed` if `client` or `store` is closed.
    #[uniffi::constructor]
    pub fn with_memory_store(
        client: Arc<PublisherClient>,
        store: Arc<MemoryStore>,
        clock: Option<Arc<OffsetClock>>,
        listener: Option<Arc<dyn StatusListener>>,
    ) -> Result<Arc<Self>, EuidError> {
        register(&client, store.core()?, clock, listener)
    }

    /// The id of this manager for door calls (stable, never reused).
    pub fn target(&self) -> u64 {
        self.target
    }

    /// Closes the manager: later calls fail with `EuidError::Closed`; calls already running
    /// finish. Idempotent.
    ///
    /// (Not `close`: the generated Kotlin class already has `AutoCloseable.close()`, which
    /// frees the object and so closes it too.)
    pub fn close_target(&self) {
        registry::release(self.target);
    }
}

impl Drop for IdentityManager {
    fn drop(&mut self) {
        registry::release(self.target);
    }
}

/// Generates and stores an identity for `user` (op `manager_establish`).
pub(crate) fn establish(
    manager: &euid_core::IdentityManager,
    user: String,
    dii: DiiInput,
    tcf_consent_string: Option<String>,
) -> Result<impl Future<Output = Result<GenerateOutcome, EuidError>> + Send + 'static, EuidError> {
    let task = manager.establish_task(user, generate_request(&dii, tcf_consent_string)?);
    Ok(async move { Ok(task.await?.into()) })
}

/// The advertising token to send for `user`, refreshing first when due (op
/// `manager_advertising_token`).
pub(crate) fn advertising_token(
    manager: &euid_core::IdentityManager,
    user: String,
) -> Result<impl Future<Output = Result<TokenAnswer, EuidError>> + Send + 'static, EuidError> {
    let task = manager.advertising_token_task(user);
    Ok(async move { Ok(task.await?.into()) })
}

/// Deletes `user`'s identity; no request (op `manager_logout`).
pub(crate) fn logout(manager: &euid_core::IdentityManager, user: String) -> Result<(), EuidError> {
    Ok(manager.logout(&user)?)
}

/// `user`'s status from the store alone (op `manager_status`).
pub(crate) fn status(
    manager: &euid_core::IdentityManager,
    user: String,
) -> Result<IdentityStatus, EuidError> {
    Ok(manager.status(&user)?)
}

/// `user`'s stored identity (op `manager_identity`).
pub(crate) fn identity(
    manager: &euid_core::IdentityManager,
    user: String,
) -> Result<Option<Identity>, EuidError> {
    Ok(manager.identity(&user)?.map(Identity::from))
}
