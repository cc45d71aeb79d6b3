//! Client configuration: the environment, credentials, timeouts and retries, validated once.
//! It only describes the settings: the client is built from them in `client.rs`, its transport in
//! `http.rs`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use zeroize::Zeroizing;

use crate::clock::{Clock, SystemClock};
use crate::credentials::Credentials;
use crate::envelope::Encoding;
use crate::error::{Error, Result};
use crate::proxy::{Proxy, Route};
use crate::retry::RetryPolicy;
use crate::trust::ExtraRoots;

/// The EUID integration environment's base URL.
pub const INTEGRATION_URL: &str = "https://integ.euid.eu";
/// The EUID production environment's base URL.
pub const PRODUCTION_URL: &str = "https://prod.euid.eu";
/// Default time allowed for one attempt (connect, send, receive).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Default time allowed for a whole call, retries and backoff included.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(15);
/// Default cap on a response body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1024 * 1024;
/// The default `X-UID2-Client-Version` value.
pub const DEFAULT_CLIENT_VERSION: &str = concat!("euid-sdk-rust-", env!("CARGO_PKG_VERSION"));

/// Where the operator is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// `https://integ.euid.eu`: testing, with its own API keys and short token lifetimes.
    Integration,
    /// `https://prod.euid.eu`.
    Production,
    /// Any other base URL, such as a private operator, a proxy with a path prefix
    /// (`https://proxy.example.com/euid`, kept as is) or a local emulator (`http://127.0.0.1:port`).
    Custom(String),
}

impl Environment {
    /// The base URL.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Integration => INTEGRATION_URL,
            Environment::Production => PRODUCTION_URL,
            Environment::Custom(url) => url,
        }
    }
}

/// Builds a [`PublisherClient`](crate::PublisherClient). Every setting is checked in
/// [`ClientBuilder::build`].
///
/// | setting | default |
/// |---|---|
/// | [`timeout`](ClientBuilder::timeout) (one attempt) | [`DEFAULT_TIMEOUT`], 5 s |
/// | [`connect_timeout`](ClientBuilder::connect_timeout) | [`DEFAULT_CONNECT_TIMEOUT`], 2 s |
/// | [`deadline`](ClientBuilder::deadline) (whole call) | [`DEFAULT_DEADLINE`], 15 s |
/// | [`retry_policy`](ClientBuilder::retry_policy) | 2 retries, 100 ms doubling to 2 s, jittered |
/// | [`encoding`](ClientBuilder::encoding) | base64 |
/// | [`max_response_bytes`](ClientBuilder::max_response_bytes) | [`DEFAULT_MAX_RESPONSE_BYTES`], 1 MiB |
/// | [`clock`](ClientBuilder::clock) | [`SystemClock`] |
/// | [`client_version`](ClientBuilder::client_version) | [`DEFAULT_CLIENT_VERSION`] |
/// | [`proxy`](ClientBuilder::proxy) | [`Proxy::FromEnvironment`] |
/// | [`ca_certificates_pem`](ClientBuilder::ca_certificates_pem) | the platform's store only |
#[must_use]
pub struct ClientBuilder {
    environment: Environment,
    api_key: Zeroizing<String>,
    client_secret: Zeroizing<String>,
    settings: Settings,
    ca_pems: Vec<String>,
    host_roots: Vec<Vec<u8>>,
}

/// What a valid builder holds, ready to build a client from.
#[derive(Debug)]
pub(crate) struct Config {
    pub(crate) base: BaseUrl,
    pub(crate) credentials: Credentials,
    pub(crate) settings: Settings,
    /// The proxy setting resolved for `base`.
    pub(crate) route: Route,
}

/// The validated settings a client runs with.
#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) deadline: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) encoding: Encoding,
    pub(crate) max_response_bytes: usize,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) client_version: String,
    pub(crate) proxy: Proxy,
    /// Trusted besides the platform's store.
    pub(crate) extra_roots: ExtraRoots,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("encoding", &self.encoding)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("client_version", &self.client_version)
            .field("proxy", &self.proxy)
            .field("extra_roots", &self.extra_roots)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("environment", &self.environment)
            .field("api_key", &"<redacted>")
            .field("client_secret", &"<redacted>")
            .field("settings", &self.settings)
            .field("ca_pems", &self.ca_pems.len())
            .field("host_roots", &self.host_roots.len())
            .finish()
    }
}

impl ClientBuilder {
    pub(crate) fn new(environment: Environment, api_key: &str, client_secret: &str) -> Self {
        ClientBuilder {
            environment,
            api_key: Zeroizing::new(api_key.to_owned()),
            client_secret: Zeroizing::new(client_secret.to_owned()),
            settings: Settings {
                timeout: DEFAULT_TIMEOUT,
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                deadline: DEFAULT_DEADLINE,
                retry: RetryPolicy::default(),
                encoding: Encoding::Base64,
                max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
                clock: Arc::new(SystemClock),
                client_version: DEFAULT_CLIENT_VERSION.to_owned(),
                proxy: Proxy::FromEnvironment,
                extra_roots: ExtraRoots::default(),
            },
            ca_pems: Vec::new(),
            host_roots: Vec::new(),
        }
    }

    /// Time allowed for one attempt: connect, send and receive. Default: 5 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// Time allowed to open a connection. Default: 2 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole call, retries and backoff included. Default: 15 s.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.settings.deadline = deadline;
        self
    }

    /// How transient failures are retried. Default: [`RetryPolicy::default`].
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.settings.retry = retry;
        self
    }

    /// Retries after the first attempt, keeping the policy's delays. Default: 2.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.settings.retry.max_retries = max_retries;
        self
    }

    /// How envelopes travel: base64 text or raw octet-stream. Default: base64.
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.settings.encoding = encoding;
        self
    }

    /// The largest response body read; larger ones fail with
    /// [`ProtocolError::TooLarge`](crate::ProtocolError::TooLarge). Default: 1 MiB.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.settings.max_response_bytes = max;
        self
    }

    /// The clock for request timestamps. Default: the system clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.settings.clock = clock;
        self
    }

    /// The `X-UID2-Client-Version` header. Default: `euid-sdk-rust-<version>`.
    pub fn client_version(mut self, version: impl Into<String>) -> Self {
        self.settings.client_version = version.into();
        self
    }

    /// The forward proxy: from the environment (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, as
    /// curl reads them; loopback hosts direct), none, or a given one. See [`Proxy`]. Default:
    /// [`Proxy::FromEnvironment`], read when the client is built.
    pub fn proxy(mut self, proxy: Proxy) -> Self {
        self.settings.proxy = proxy;
        self
    }

    /// Also trusts the CA certificates of this PEM text (one or more `CERTIFICATE` blocks),
    /// besides the platform's store: a private CA, or the one of a TLS-inspecting proxy. Can be
    /// called again to add more. Certificates are always verified.
    pub fn ca_certificates_pem(mut self, pem: impl Into<String>) -> Self {
        self.ca_pems.push(pem.into());
        self
    }

    /// Also trusts the roots a host platform trusts, DER-encoded (the JVM's trust store); those
    /// rustls cannot use are skipped with a warning.
    pub fn host_root_certificates(mut self, roots: Vec<Vec<u8>>) -> Self {
        self.host_roots.extend(roots);
        self
    }

    /// Checks every setting (see [`ClientBuilder::build`] for the errors).
    pub(crate) fn validate(self) -> Result<Config> {
        let base = validate_base_url(self.environment.base_url())?;
        let credentials = Credentials::new(&self.api_key, &self.client_secret)?;
        let mut settings = self.settings;
        for pem in &self.ca_pems {
            settings.extra_roots.add_pem(pem)?;
        }
        settings.extra_roots.add_host_roots(self.host_roots);
        let route = Route::resolve(&settings.proxy, &base)?;
        if settings.timeout.is_zero() || settings.connect_timeout.is_zero() {
            return Err(Error::Config("timeouts must be greater than zero".into()));
        }
        if settings.deadline.is_zero() {
            return Err(Error::Config("the deadline must be greater than zero".into()));
        }
        if settings.max_response_bytes == 0 {
            return Err(Error::Config("max_response_bytes must be greater than zero".into()));
        }
        if settings.client_version.is_empty()
            || !settings.client_version.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(Error::Config("the client version must be visible ASCII".into()));
        }
        Ok(Config { base, credentials, settings, route })
    }
}

/// A validated base URL, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    pub(crate) url: String,
    pub(crate) loopback: bool,
}

impl BaseUrl {
    pub(crate) fn endpoint(&self, path: &str) -> Result<Url> {
        Url::parse(&format!("{}{path}", self.url))
            .map_err(|err| Error::Config(format!("invalid endpoint URL: {err}")))
    }
}

/// Checks a base URL: `https://`, or `http://` to a loopback host only; no query, fragment or
/// user info. A trailing `/` and a trailing `/v2` (as the EUID environments page writes the
/// base) are removed, since the SDK appends `/v2/token/...` itself.
pub(crate) fn validate_base_url(base: &str) -> Result<BaseUrl> {
    let url = Url::parse(base.trim())
        .map_err(|err| Error::Config(format!("the base URL is not a valid URL: {err}")))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => return Err(Error::Config("the base URL has no host".into())),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(Error::Config(
                "the base URL must use https:// (http:// is allowed for loopback hosts only)"
                    .into(),
            ))
        }
        other => return Err(Error::Config(format!("unsupported URL scheme `{other}`"))),
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config("the base URL must not have a query or fragment".into()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config("the base URL must not contain user info".into()));
    }
    let mut text = url.as_str().trim_end_matches('/').to_owned();
    if let Some(stripped) = text.strip_suffix("/v2") {
        text = stripped.to_owned();
    }
    Ok(BaseUrl { url: text, loopback })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_prefixes_are_kept_and_v2_suffix_dropped() {
        assert_eq!(
            validate_base_url("https://proxy.example.com/euid/").unwrap().url,
            "https://proxy.example.com/euid"
        );
        assert_eq!(validate_base_url("https://integ.euid.eu/v2").unwrap().url, INTEGRATION_URL);
    }

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(validate_base_url("http://127.0.0.1:8080").unwrap().loopback);
        assert!(validate_base_url("http://[::1]:8080").unwrap().loopback);
        assert!(validate_base_url("http://localhost").is_ok());
        assert!(validate_base_url("http://10.0.0.1").is_err());
        assert!(validate_base_url("http://prod.euid.eu").is_err());
        assert!(validate_base_url("ftp://127.0.0.1").is_err());
        assert!(validate_base_url("https://u:p@prod.euid.eu").is_err());
        assert!(validate_base_url("https://prod.euid.eu/?x=1").is_err());
    }
}
