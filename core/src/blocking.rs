//! A synchronous client for code without an async runtime (Django, Flask, Spring MVC threads).
//!
//! Same methods as the async [`crate::PublisherClient`]; each call blocks the calling thread
//! while the request runs on the SDK's runtime. Never call it from inside an async runtime: it
//! returns [`Error::Config`](crate::Error::Config) there; use the async client instead.

use crate::client;
use crate::config::{ClientBuilder, Environment};
use crate::dii::Dii;
use crate::error::Result;
use crate::identity::Identity;
use crate::manager::{self, TokenAnswer};
use crate::outcome::{GenerateOutcome, RefreshOutcome};
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
        let (inner, request) = (self.inner.clone(), request.clone());
        runtime::block_on(async move { inner.generate_token(&request).await })
    }

    /// Blocking [`crate::PublisherClient::refresh_token`].
    ///
    /// # Errors
    ///
    /// As the async form.
    pub fn refresh_token(&self, identity: &Identity) -> Result<RefreshOutcome> {
        let (inner, identity) = (self.inner.clone(), identity.clone());
        runtime::block_on(async move { inner.refresh_token(&identity).await })
    }

    /// Blocking [`crate::PublisherClient::validate_token`].
    ///
    /// # Errors
    ///
    /// As the async form.
    pub fn validate_token(&self, advertising_token: &str, dii: &Dii) -> Result<bool> {
        let (inner, token, dii) = (self.inner.clone(), advertising_token.to_owned(), dii.clone());
        runtime::block_on(async move { inner.validate_token(&token, &dii).await })
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
        let (inner, user, request) = (self.inner.clone(), user.to_owned(), request.clone());
        runtime::block_on(async move { inner.establish(&user, &request).await })
    }

    /// Blocking [`crate::IdentityManager::advertising_token`].
    ///
    /// # Errors
    ///
    /// As the async form.
    pub fn advertising_token(&self, user: &str) -> Result<TokenAnswer> {
        let (inner, user) = (self.inner.clone(), user.to_owned());
        runtime::block_on(async move { inner.advertising_token(&user).await })
    }
}
