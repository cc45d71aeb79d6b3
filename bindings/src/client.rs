//! `PublisherClient`: a shell over the core client, which lives in the door's registry; and the
//! bodies of the door's client ops.

use std::future::Future;
use std::sync::Arc;

use crate::config::ClientConfig;
use crate::door::registry::{self, Target};
use crate::error::EuidError;
use crate::types::{generate_request, DiiInput, GenerateOutcome, Identity, RefreshOutcome};

/// A client of the operator's publisher endpoints. Thread-safe; share one per process.
///
/// Its calls go through the door with [`target`](PublisherClient::target); after
/// [`close_target`](PublisherClient::close_target), or once the object is dropped, they fail with
/// `EuidError::Closed`.
#[derive(Debug, uniffi::Object)]
pub struct PublisherClient {
    target: u64,
}

#[uniffi::export]
impl PublisherClient {
    /// Checks the configuration and builds a client.
    #[uniffi::constructor]
    pub fn new(config: ClientConfig) -> Result<Arc<Self>, EuidError> {
        let client = config.into_builder()?.build()?;
        Ok(Arc::new(PublisherClient { target: registry::register(Target::Client(client)) }))
    }

    /// The id of this client for door calls (stable, never reused).
    pub fn target(&self) -> u64 {
        self.target
    }

    /// Closes the client: later calls fail with `EuidError::Closed`; calls already running
    /// finish. Managers built on it keep working. Idempotent.
    ///
    /// (Not `close`: the generated Kotlin class already has `AutoCloseable.close()`, which
    /// frees the object and so closes it too.)
    pub fn close_target(&self) {
        registry::release(self.target);
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> Result<String, EuidError> {
        Ok(registry::client(self.target)?.base_url().to_owned())
    }

    /// The clock correction learned from the operator (0 until a drift was seen).
    pub fn clock_offset_ms(&self) -> Result<i64, EuidError> {
        Ok(registry::client(self.target)?.clock_offset_ms())
    }
}

impl PublisherClient {
    /// The core client, for a manager built on it.
    pub(crate) fn core(&self) -> Result<euid_core::PublisherClient, EuidError> {
        registry::client(self.target)
    }
}

impl Drop for PublisherClient {
    fn drop(&mut self) {
        registry::release(self.target);
    }
}

/// `POST /v2/token/generate` (op `client_generate`).
pub(crate) fn generate(
    client: &euid_core::PublisherClient,
    dii: DiiInput,
    tcf_consent_string: Option<String>,
) -> Result<impl Future<Output = Result<GenerateOutcome, EuidError>> + Send + 'static, EuidError> {
    let task = client.generate_token_task(generate_request(&dii, tcf_consent_string)?);
    Ok(async move { Ok(task.await?.into()) })
}

/// `POST /v2/token/refresh` (op `client_refresh`).
pub(crate) fn refresh(
    client: &euid_core::PublisherClient,
    identity: Identity,
) -> Result<impl Future<Output = Result<RefreshOutcome, EuidError>> + Send + 'static, EuidError> {
    let task = client.refresh_token_task(identity.try_into()?);
    Ok(async move { Ok(task.await?.into()) })
}

/// `POST /v2/token/validate` (op `client_validate`).
pub(crate) fn validate(
    client: &euid_core::PublisherClient,
    advertising_token: String,
    dii: DiiInput,
) -> Result<impl Future<Output = Result<bool, EuidError>> + Send + 'static, EuidError> {
    let task = client.validate_token_task(advertising_token, (&dii).try_into()?);
    Ok(async move { Ok(task.await?) })
}
