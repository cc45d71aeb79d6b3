//! A synchronous client for code without an async runtime (Django, Flask, Spring MVC threads).
//!
//! Same methods as the async [`crate::PublisherClient`]; each call drives the request on the
//! calling thread inside the SDK runtime's context ([`runtime::block_on`]), without spawning.
//! Never call it from inside an async runtime: it returns [`Error::Config`](crate::Error::Config)
//! there; use the async client instead.

use crate::client;
use crate::config::{ClientBuilder, Environment};
use crate::dii::Dii;
use crate::error::Result;
use crate::identity::Identity;
use crate::manager;
use crate::outcome::{GenerateOutcome, RefreshOutcome, TokenAnswer};
use crate::runtime;
use crate::wire::GenerateRequest;

/// The blocking form of [`crate::PublisherClient`]; cheap to clone and share across threads.
#[derive(Debug, Clone)]
pub struct PublisherClient {
    inner: client::PublisherClient,
}

impl PublisherClient {
    /// Starts building a client; finish with [`PublisherClient::from_async`] or
    /// `builder(...).build().map(PublisherClient::from_async)`.
    pub fn builder(environment: Environment, api_key: &str, client_secret: &str) -> ClientBuilder {
        client::PublisherClient::builder(environment, api_key, client_secret)
    }

    /// Wraps an async client; both share one connection pool.
    pub fn from_async(inner: client::PublisherClient) -> PublisherClient {
        PublisherClient { inner }
    }

    /// The async client underneath.
    pub fn as_async(&self) -> &client::PublisherClient {
        &self.inner
    }

    /// Blocking [`crate::PublisherClient::generate_token`].
    ///
    /// # Errors
    ///
    /// As the async form.
    pub fn generate_token(&self, request: &GenerateRequest) -> Result<GenerateOutcome> {
        runtime::block_on(self.inner.generate_token_task(request.clone()))
    }

    /// Blocking [`crate::PublisherClient::refresh_token`].
    ///
    /// # Errors
    ///
    /// As the async form.
    pub fn refresh_token(&self, identity: &Identity) -> Result<RefreshOutcome> {
        runtime::block_on(self.inner.refresh_token_task(identity.clone()))
    }

    /// Blocking [`crate::PublisherClient::validate_token`].
    ///
    /// # Errors
    ///
    /// As the async form.
    pub fn validate_token(&self, advertising_token: &str, dii: &Dii) -> Result<bool> {
        runtime::block_on(self.inner.validate_token_task(advertising_token.to_owned(), dii.clone()))
    }
}

/// The blocking form of [`crate::IdentityManager`]: `establish` and `advertising_token` block;
/// the other methods only touch the store and are the same as the async manager's.
#[derive(Debug, Clone)]
pub struct IdentityManager {
    inner: manager::IdentityManager,
}

impl IdentityManager {
    /// Wraps an async manager; both share the store and the in-flight refreshes.
    pub fn from_async(inner: manager::IdentityManager) -> IdentityManager {
        IdentityManager { inner }
    }

    /// The async manager underneath.
    pub fn as_async(&self) -> &manager::IdentityManager {
        &self.inner
    }

    /// Blocking [`crate::IdentityManager::establish`].
    ///
    /// # Errors
    ///
    /// As the async form.
    pub fn establish(&self, user: &str, request: &GenerateRequest) -> Result<GenerateOutcome> {
        runtime::block_on(self.inner.establish_task(user.to_owned(), request.clone()))
    }

    /// Blocking [`crate::IdentityManager::advertising_token`].
    ///
    /// # Errors
    ///
    /// As the async form.
    pub fn advertising_token(&self, user: &str) -> Result<TokenAnswer> {
        runtime::block_on(self.inner.advertising_token_task(user.to_owned()))
    }
}
