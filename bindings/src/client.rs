//! `PublisherClient`: the core client, with async and blocking forms of each call.

use std::sync::Arc;

use crate::completion::{Completed, CompletionQueue};
use crate::config::ClientConfig;
use crate::error::EuidError;
use crate::types::{generate_request, DiiInput, GenerateOutcome, Identity, RefreshOutcome};

/// A client of the operator's publisher endpoints. Thread-safe; share one per process.
#[derive(Debug, uniffi::Object)]
pub struct PublisherClient {
    pub(crate) inner: euid_core::PublisherClient,
    blocking: euid_core::blocking::PublisherClient,
}

#[uniffi::export]
impl PublisherClient {
    /// Checks the configuration and builds a client.
    #[uniffi::constructor]
    pub fn new(config: ClientConfig) -> Result<Arc<Self>, EuidError> {
        let inner = config.into_builder()?.build()?;
        let blocking = euid_core::blocking::PublisherClient::from_async(inner.clone());
        Ok(Arc::new(PublisherClient { inner, blocking }))
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_owned()
    }

    /// The clock correction learned from the operator (0 until a drift was seen).
    pub fn clock_offset_ms(&self) -> i64 {
        self.inner.clock_offset_ms()
    }

    /// `POST /v2/token/generate`.
    pub async fn generate_token(
        &self,
        dii: DiiInput,
        tcf_consent_string: Option<String>,
    ) -> Result<GenerateOutcome, EuidError> {
        let request = generate_request(&dii, tcf_consent_string)?;
        Ok(self.inner.generate_token(&request).await?.into())
    }

    /// `POST /v2/token/refresh`.
    pub async fn refresh_token(&self, identity: Identity) -> Result<RefreshOutcome, EuidError> {
        Ok(self.inner.refresh_token(&identity.try_into()?).await?.into())
    }

    /// `POST /v2/token/validate`.
    pub async fn validate_token(
        &self,
        advertising_token: String,
        dii: DiiInput,
    ) -> Result<bool, EuidError> {
        Ok(self.inner.validate_token(&advertising_token, &(&dii).try_into()?).await?)
    }

    /// `POST /v2/token/generate`, its result put into `queue` under `ticket` when it finishes
    /// (for event loops: see [`CompletionQueue`]). Invalid input fails here, at once.
    pub fn generate_token_submit(
        &self,
        queue: Arc<CompletionQueue>,
        ticket: u64,
        dii: DiiInput,
        tcf_consent_string: Option<String>,
    ) -> Result<(), EuidError> {
        let request = generate_request(&dii, tcf_consent_string)?;
        let inner = self.inner.clone();
        euid_core::runtime::handle()?.spawn(async move {
            let result = inner.generate_token(&request).await.map(Into::into).map_err(Into::into);
            queue.complete(ticket, Completed::Generate(result));
        });
        Ok(())
    }

    /// `POST /v2/token/refresh`, its result put into `queue` under `ticket`.
    pub fn refresh_token_submit(
        &self,
        queue: Arc<CompletionQueue>,
        ticket: u64,
        identity: Identity,
    ) -> Result<(), EuidError> {
        let identity: euid_core::Identity = identity.try_into()?;
        let inner = self.inner.clone();
        euid_core::runtime::handle()?.spawn(async move {
            let result = inner.refresh_token(&identity).await.map(Into::into).map_err(Into::into);
            queue.complete(ticket, Completed::Refresh(result));
        });
        Ok(())
    }

    /// `POST /v2/token/validate`, its result put into `queue` under `ticket`.
    pub fn validate_token_submit(
        &self,
        queue: Arc<CompletionQueue>,
        ticket: u64,
        advertising_token: String,
        dii: DiiInput,
    ) -> Result<(), EuidError> {
        let dii: euid_core::Dii = (&dii).try_into()?;
        let inner = self.inner.clone();
        euid_core::runtime::handle()?.spawn(async move {
            let result = inner.validate_token(&advertising_token, &dii).await.map_err(Into::into);
            queue.complete(ticket, Completed::Validate(result));
        });
        Ok(())
    }

    /// Blocking `POST /v2/token/generate`.
    pub fn generate_token_blocking(
        &self,
        dii: DiiInput,
        tcf_consent_string: Option<String>,
    ) -> Result<GenerateOutcome, EuidError> {
        let request = generate_request(&dii, tcf_consent_string)?;
        Ok(self.blocking.generate_token(&request)?.into())
    }

    /// Blocking `POST /v2/token/refresh`.
    pub fn refresh_token_blocking(&self, identity: Identity) -> Result<RefreshOutcome, EuidError> {
        Ok(self.blocking.refresh_token(&identity.try_into()?)?.into())
    }

    /// Blocking `POST /v2/token/validate`.
    pub fn validate_token_blocking(
        &self,
        advertising_token: String,
        dii: DiiInput,
    ) -> Result<bool, EuidError> {
        Ok(self.blocking.validate_token(&advertising_token, &(&dii).try_into()?)?)
    }
}
