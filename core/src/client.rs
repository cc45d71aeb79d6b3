//! The async operator client: generate, refresh and validate, with retries, a deadline and
//! clock-drift correction (`clock_sync.rs`).

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use reqwest::Url;

use crate::clock_sync::{ClockSync, Estimate};
use crate::config::{BaseUrl, ClientBuilder, Config, Environment, Settings};
use crate::credentials::{Credentials, SecretKey};
use crate::dii::Dii;
use crate::envelope::{self, SealParams};
use crate::error::{Error, InputError, Result};
use crate::http::{Post, Reply, Transport};
use crate::identity::Identity;
use crate::outcome::{GenerateOutcome, RefreshOutcome};
use crate::runtime;
use crate::wire::{self, Answer, Failure, GenerateRequest};

/// A client of the EUID operator's publisher endpoints.
///
/// Create one per process (or per set of credentials) and share it: it is cheap to clone, safe
/// to use from many threads and tasks at once, and keeps one connection pool per process.
/// Requests run on the SDK's own runtime (see [`runtime`](crate::runtime)), so the returned
/// futures can be awaited from any executor. For synchronous code use
/// [`blocking::PublisherClient`](crate::blocking::PublisherClient).
#[derive(Clone)]
pub struct PublisherClient {
    inner: Arc<Inner>,
}

struct Inner {
    base: BaseUrl,
    generate_url: Url,
    refresh_url: Url,
    validate_url: Url,
    credentials: Credentials,
    settings: Settings,
    transport: Transport,
    /// The operator's clock, as its answers showed it.
    operator_clock: ClockSync,
}

impl fmt::Debug for PublisherClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublisherClient")
            .field("base_url", &self.inner.base.url)
            .field("credentials", &self.inner.credentials)
            .field("settings", &self.inner.settings)
            .finish()
    }
}

impl PublisherClient {
    /// Starts building a client for `environment` with the credentials from the EUID portal.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use euid_core::{Dii, Environment, GenerateOutcome, GenerateRequest, PublisherClient};
    ///
    /// # async fn run() -> euid_core::Result<()> {
    /// let client = PublisherClient::builder(Environment::Integration, "api-key", "client-secret")
    ///     .build()?;
    /// let request = GenerateRequest::new(Dii::email("user@example.com")?);
    /// match client.generate_token(&request).await? {
    ///     GenerateOutcome::Success(identity) => println!("{}", identity.advertising_token),
    ///     GenerateOutcome::OptOut => println!("opted out: never ask again"),
    ///     GenerateOutcome::InsufficientConsent => println!("no consent"),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn builder(environment: Environment, api_key: &str, client_secret: &str) -> ClientBuilder {
        ClientBuilder::new(environment, api_key, client_secret)
    }

    fn from_config(
        Config { base, credentials, settings, route }: Config,
    ) -> Result<PublisherClient> {
        Ok(PublisherClient {
            inner: Arc::new(Inner {
                generate_url: base.endpoint("/v2/token/generate")?,
                refresh_url: base.endpoint("/v2/token/refresh")?,
                validate_url: base.endpoint("/v2/token/validate")?,
                transport: Transport::new(&settings, &base, route),
                base,
                credentials,
                settings,
                operator_clock: ClockSync::default(),
            }),
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base.url
    }

    /// The correction added to this client's clock for request timestamps: the operator's
    /// clock minus ours, learned from the timestamp in each successful generate and validate
    /// answer (or, after a rejection, from a `Date` header); 0 until something is learned.
    pub fn clock_offset_ms(&self) -> i64 {
        self.inner.operator_clock.offset_ms()
    }

    /// Calls `POST /v2/token/generate`.
    ///
    /// # Errors
    ///
    /// Any [`Error`] but the input ones (the request is already validated); opt-out and
    /// insufficient consent are outcomes, not errors.
    pub async fn generate_token(&self, request: &GenerateRequest) -> Result<GenerateOutcome> {
        runtime::spawn(self.generate_token_task(request.clone())).await
    }

    /// [`generate_token`](PublisherClient::generate_token) as a future that owns what it needs
    /// and is not spawned: await it inside the SDK runtime's context (a task of it, or
    /// [`runtime::block_on`]).
    pub fn generate_token_task(
        &self,
        request: GenerateRequest,
    ) -> impl Future<Output = Result<GenerateOutcome>> + Send + 'static {
        let inner = Arc::clone(&self.inner);
        let payload = request.to_json();
        async move {
            let outcome = inner
                .with_retries("generate", || inner.envelope_call(&inner.generate_url, &payload))
                .await?
                .into_generate_outcome()?;
            log::debug!("generate answered {}", outcome.name());
            Ok(outcome)
        }
    }

    /// Calls `POST /v2/token/refresh` with the identity's refresh token, and decrypts the answer
    /// with its `refresh_response_key`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an identity without a refresh token, then any transport or
    /// protocol [`Error`]. Opt-out, expired and invalid tokens are outcomes.
    pub async fn refresh_token(&self, identity: &Identity) -> Result<RefreshOutcome> {
        runtime::spawn(self.refresh_token_task(identity.clone())).await
    }

    /// [`refresh_token`](PublisherClient::refresh_token) as a future that is not spawned (see
    /// [`generate_token_task`](PublisherClient::generate_token_task)). The identity is checked
    /// at once; its error is the future's output.
    pub fn refresh_token_task(
        &self,
        identity: Identity,
    ) -> impl Future<Output = Result<RefreshOutcome>> + Send + 'static {
        let inner = Arc::clone(&self.inner);
        let checked = refresh_input(identity);
        async move {
            let (token, key) = checked?;
            let outcome =
                inner.with_retries("refresh", || inner.refresh_call(&token, key.as_ref())).await?;
            log::debug!("refresh answered {}", outcome.name());
            Ok(outcome)
        }
    }

    /// Calls `POST /v2/token/validate`: whether `advertising_token` was generated from `dii`.
    /// Meant for integration testing.
    ///
    /// # Errors
    ///
    /// Any transport or protocol [`Error`]; a token from another publisher or one that cannot
    /// be decoded is an [`Error::Rejected`].
    pub async fn validate_token(&self, advertising_token: &str, dii: &Dii) -> Result<bool> {
        runtime::spawn(self.validate_token_task(advertising_token.to_owned(), dii.clone())).await
    }

    /// [`validate_token`](PublisherClient::validate_token) as a future that is not spawned (see
    /// [`generate_token_task`](PublisherClient::generate_token_task)).
    pub fn validate_token_task(
        &self,
        advertising_token: String,
        dii: Dii,
    ) -> impl Future<Output = Result<bool>> + Send + 'static {
        let inner = Arc::clone(&self.inner);
        let payload = if advertising_token.is_empty() {
            Err(Error::from(InputError::Argument { field: "token", reason: "is empty" }))
        } else {
            Ok(wire::validate_request_json(&advertising_token, &dii))
        };
        async move {
            let payload = payload?;
            inner
                .with_retries("validate", || inner.envelope_call(&inner.validate_url, &payload))
                .await?
                .into_validate_outcome()
        }
    }
}

impl ClientBuilder {
    /// Checks every setting and builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for a base URL that is not `https://` (or `http://` to a loopback
    /// host), has a query, fragment or user info; for credentials that do not parse; for a zero
    /// timeout or deadline; for a client version that is not visible ASCII; for a proxy URL
    /// that is not `http://[user:password@]host[:port]` (explicit or from the environment); or
    /// for a CA certificates PEM without a usable certificate.
    pub fn build(self) -> Result<PublisherClient> {
        PublisherClient::from_config(self.validate()?)
    }
}

/// The refresh token and response key of `identity`, or why it cannot be refreshed.
fn refresh_input(identity: Identity) -> Result<(String, Option<SecretKey>)> {
    if identity.refresh_token.is_empty() {
        return Err(InputError::Argument { field: "refresh_token", reason: "is empty" }.into());
    }
    let key = identity.refresh_key()?;
    Ok((identity.refresh_token.clone(), key))
}

impl Inner {
    async fn post(&self, url: &Url, content_type: &'static str, body: Vec<u8>) -> Result<Reply> {
        let api_key = self.credentials.api_key();
        self.transport.post(Post { url, api_key, content_type, body }).await
    }

    /// Runs `attempt` until it succeeds, fails for good, runs out of retries or passes the
    /// deadline.
    async fn with_retries<T, F, Fut>(&self, operation: &str, attempt: F) -> Result<T>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let deadline = tokio::time::Instant::now() + self.settings.deadline;
        let policy = self.settings.retry;
        let mut retry = 0;
        loop {
            let result = match tokio::time::timeout_at(deadline, attempt()).await {
                Ok(result) => result,
                Err(_) => Err(Error::Timeout(format!(
                    "{operation} did not complete within the {} ms deadline",
                    self.settings.deadline.as_millis()
                ))),
            };
            let err = match result {
                Err(err) if err.is_retryable() && retry < policy.max_retries => err,
                other => return other,
            };
            let delay = policy.delay(retry, rand::random::<f64>(), err.retry_after());
            if tokio::time::Instant::now() + delay >= deadline {
                log::info!("{operation}: {err}; no time left before the deadline to retry");
                return Err(err);
            }
            retry += 1;
            log::info!(
                "{operation}: {err}; retry {retry} of {} in {} ms",
                policy.max_retries,
                delay.as_millis()
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// One encrypted exchange. Its request time carries the learned correction; its answer's
    /// timestamp refines it. A clock-drift rejection proves the correction wrong: it is replaced
    /// by the `Date` header's reading if there is one, or dropped, and the request is sent once
    /// more.
    async fn envelope_call(&self, url: &Url, payload: &[u8]) -> Result<Answer> {
        let key = self.credentials.client_secret();
        let encoding = self.settings.encoding;
        let mut retried = false;
        loop {
            let correction = self.operator_clock.estimate().map(|known| known.offset_ms);
            let sent_ms = self.settings.clock.now_ms();
            let params = SealParams::random(sent_ms.saturating_add(correction.unwrap_or(0)));
            let body = encoding.encode(envelope::seal_request(key, payload, &params));
            let started = Instant::now();
            let reply = self.post(url, encoding.content_type(), body).await?;
            let round_trip = started.elapsed();
            if reply.status == 200 {
                let (server_ms, answer) =
                    wire::open_answer(key, &reply.body, encoding, &params.nonce)?;
                self.operator_clock.learn(Estimate::from_timestamp(server_ms, sent_ms, round_trip));
                return Ok(answer);
            }
            let err = Failure {
                http_status: reply.status,
                body: &reply.body,
                retry_after_secs: reply.retry_after_secs,
            }
            .into_error();
            let Error::ClockDrift { message, .. } = err else { return Err(err) };
            let date =
                reply.date_ms.map(|date| Estimate::from_date_header(date, sent_ms, round_trip));
            // Every rejection updates the estimate; only one retries.
            if !self.operator_clock.rejected(correction, date) || retried {
                return Err(Error::ClockDrift { message, corrected_by_ms: correction });
            }
            retried = true;
        }
    }

    async fn refresh_call(
        &self,
        refresh_token: &str,
        key: Option<&SecretKey>,
    ) -> Result<RefreshOutcome> {
        let reply =
            self.post(&self.refresh_url, "text/plain", refresh_token.as_bytes().to_vec()).await?;
        if reply.status == 200 {
            return wire::open_refresh_answer(key, &reply.body);
        }
        let failure = Failure {
            http_status: reply.status,
            body: &reply.body,
            retry_after_secs: reply.retry_after_secs,
        };
        failure.refresh_outcome().ok_or_else(|| failure.into_error())
    }
}
