//! `IdentityManager`: the core manager with async and blocking forms.

use std::sync::Arc;

use euid_core::IdentityStatus;

use crate::client::PublisherClient;
use crate::clock::OffsetClock;
use crate::error::EuidError;
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
/// opt-out, logout.
#[derive(Debug, uniffi::Object)]
pub struct IdentityManager {
    inner: euid_core::IdentityManager,
    blocking: euid_core::blocking::IdentityManager,
}

#[uniffi::export]
impl IdentityManager {
    /// A manager over `client`; `store` defaults to an in-memory store, `clock` to the system
    /// clock.
    #[uniffi::constructor]
    pub fn new(
        client: Arc<PublisherClient>,
        store: Option<Arc<dyn IdentityStore>>,
        clock: Option<Arc<OffsetClock>>,
        listener: Option<Arc<dyn StatusListener>>,
    ) -> Arc<Self> {
        let store: Arc<dyn euid_core::IdentityStore> = match store {
            Some(store) => Arc::new(ForeignStore(store)),
            None => Arc::new(euid_core::MemoryStore::new()),
        };
        let clock: Arc<dyn euid_core::Clock> = match clock {
            Some(clock) => clock.inner.clone(),
            None => Arc::new(euid_core::SystemClock),
        };
        let listener = listener.map(|listener| {
            Arc::new(ForeignListener(listener)) as Arc<dyn euid_core::StatusListener>
        });
        let inner =
            euid_core::IdentityManager::with_options(client.inner.clone(), store, clock, listener);
        let blocking = euid_core::blocking::IdentityManager::from_async(inner.clone());
        Arc::new(IdentityManager { inner, blocking })
    }

    /// Generates and stores an identity for `user`.
    pub async fn establish(
        &self,
        user: String,
        dii: DiiInput,
        tcf_consent_string: Option<String>,
    ) -> Result<GenerateOutcome, EuidError> {
        let request = generate_request(&dii, tcf_consent_string)?;
        Ok(self.inner.establish(&user, &request).await?.into())
    }

    /// The advertising token to send for `user`, refreshing first when due.
    pub async fn advertising_token(&self, user: String) -> Result<TokenAnswer, EuidError> {
        Ok(self.inner.advertising_token(&user).await?.into())
    }

    /// Blocking `establish`.
    pub fn establish_blocking(
        &self,
        user: String,
        dii: DiiInput,
        tcf_consent_string: Option<String>,
    ) -> Result<GenerateOutcome, EuidError> {
        let request = generate_request(&dii, tcf_consent_string)?;
        Ok(self.blocking.establish(&user, &request)?.into())
    }

    /// Blocking `advertising_token`.
    pub fn advertising_token_blocking(&self, user: String) -> Result<TokenAnswer, EuidError> {
        Ok(self.blocking.advertising_token(&user)?.into())
    }

    /// Deletes `user`'s identity; no request.
    pub fn logout(&self, user: String) -> Result<(), EuidError> {
        Ok(self.inner.logout(&user)?)
    }

    /// `user`'s status from the store alone.
    pub fn status(&self, user: String) -> Result<IdentityStatus, EuidError> {
        Ok(self.inner.status(&user)?)
    }

    /// `user`'s stored identity.
    pub fn identity(&self, user: String) -> Result<Option<Identity>, EuidError> {
        Ok(self.inner.identity(&user)?.map(Identity::from))
    }
}
