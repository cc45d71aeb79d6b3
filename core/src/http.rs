//! The transport of one client, built from its settings: a connection pool per process (with its
//! proxy route and trusted roots) and one HTTP POST to the operator at a time (headers, the
//! attempt timeout, a capped body read, and transport failures mapped to typed errors).

use std::error::Error as _;
use std::time::{Duration, Instant};

use reqwest::header::{
    HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, DATE, RETRY_AFTER,
};
use reqwest::Url;

use crate::config::{BaseUrl, Settings};
use crate::error::{Error, ProtocolError, ProxyError, Result};
use crate::proxy::{ProxyRoute, Route};
use crate::runtime::PerProcess;
use crate::trust::ExtraRoots;

/// The header naming the SDK to the operator.
pub const CLIENT_VERSION_HEADER: &str = "X-UID2-Client-Version";

/// A request to send.
pub(crate) struct Post<'a> {
    pub(crate) url: &'a Url,
    pub(crate) api_key: &'a str,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
}

/// What came back.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    /// The `Date` header, in epoch milliseconds.
    pub(crate) date_ms: Option<i64>,
    pub(crate) retry_after_secs: Option<u64>,
}

/// How one client talks HTTP: the settings of an attempt and its connection pool, built on first
/// use in each process.
#[derive(Debug)]
pub(crate) struct Transport {
    timeout: Duration,
    connect_timeout: Duration,
    max_response_bytes: usize,
    client_version: String,
    loopback: bool,
    route: Route,
    extra_roots: ExtraRoots,
    /// The operator's `host:port`, for messages.
    target: String,
    pool: PerProcess<reqwest::Client>,
}

impl Transport {
    pub(crate) fn new(settings: &Settings, base: &BaseUrl, route: Route) -> Transport {
        let target = Url::parse(&base.url)
            .ok()
            .and_then(|url| {
                let host = url.host_str()?.to_owned();
                Some(format!("{host}:{}", url.port_or_known_default()?))
            })
            .unwrap_or_else(|| base.url.clone());
        Transport {
            timeout: settings.timeout,
            connect_timeout: settings.connect_timeout,
            max_response_bytes: settings.max_response_bytes,
            client_version: settings.client_version.clone(),
            loopback: base.loopback,
            route,
            extra_roots: settings.extra_roots.clone(),
            target,
            pool: PerProcess::new(),
        }
    }

    /// Sends one POST and reads the reply, at most `max_response_bytes` of body.
    pub(crate) async fn post(&self, request: Post<'_>) -> Result<Reply> {
        let client = self.pool.get_or_try_init(|| self.build_client())?;
        let url = request.url;
        let started = Instant::now();
        let reply = self.send(&client, request).await;
        match &reply {
            Ok(reply) => log::debug!(
                "POST {} -> HTTP {} in {} ms",
                url.path(),
                reply.status,
                started.elapsed().as_millis()
            ),
            Err(err) => log::debug!("POST {} failed: {err}", url.path()),
        }
        reply
    }

    fn build_client(&self) -> Result<reqwest::Client> {
        // reqwest is built without a default crypto provider; ring is ours. Another provider the
        // application installed first is fine too.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("euid-sdk/", env!("CARGO_PKG_VERSION")))
            .https_only(!self.loopback);
        builder = match &self.route {
            Route::Direct => builder.no_proxy(),
            Route::Proxy(proxy) => builder.proxy(reqwest_proxy(proxy)?),
        };
        if !self.extra_roots.certificates.is_empty() {
            let roots =
                self.extra_roots.certificates.iter().map(|der| reqwest::Certificate::from_der(der));
            let roots = roots
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|err| Error::Config(format!("a CA certificate cannot be used: {err}")))?;
            builder = builder.tls_certs_merge(roots);
        }
        builder.build().map_err(|err| Error::Config(format!("cannot build the HTTP client: {err}")))
    }

    async fn send(&self, client: &reqwest::Client, request: Post<'_>) -> Result<Reply> {
        let bearer = HeaderValue::try_from(format!("Bearer {}", request.api_key))
            .map_err(|_| Error::Config("the API key cannot be sent in a header".into()))?;
        let send = async {
            let mut response = client
                .post(request.url.clone())
                .header(AUTHORIZATION, bearer)
                .header(CONTENT_TYPE, request.content_type)
                .header(CLIENT_VERSION_HEADER, self.client_version.as_str())
                .body(request.body)
                .send()
                .await
                .map_err(|err| self.transport_error(err))?;
            let status = response.status().as_u16();
            if status == 407 {
                // A proxy forwarding plain HTTP answers for itself; the operator never sends it.
                return Err(self.auth_required());
            }
            let headers = response.headers();
            let date_ms = header_str(headers, DATE)
                .and_then(|date| httpdate::parse_http_date(date).ok())
                .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                .and_then(|since| i64::try_from(since.as_millis()).ok());
            let retry_after_secs =
                header_str(headers, RETRY_AFTER).and_then(|v| v.trim().parse().ok());
            let declared =
                header_str(headers, CONTENT_LENGTH).and_then(|v| v.parse::<usize>().ok());
            let limit = self.max_response_bytes;
            if declared.is_some_and(|len| len > limit) {
                return Err(ProtocolError::TooLarge { limit }.into());
            }
            let mut body = Vec::with_capacity(declared.unwrap_or(0));
            while let Some(chunk) =
                response.chunk().await.map_err(|err| self.transport_error(err))?
            {
                if body.len() + chunk.len() > limit {
                    return Err(ProtocolError::TooLarge { limit }.into());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Reply { status, body, date_ms, retry_after_secs })
        };
        match tokio::time::timeout(self.timeout, send).await {
            Ok(reply) => reply,
            Err(_) => Err(Error::Timeout(format!(
                "no complete answer within {} ms",
                self.timeout.as_millis()
            ))),
        }
    }
}

fn header_str(
    headers: &reqwest::header::HeaderMap,
    name: reqwest::header::HeaderName,
) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

impl Transport {
    /// A reqwest failure as a typed error, with its cause chain but without the URL: the
    /// proxy's failures and an untrusted certificate told apart from other network errors.
    fn transport_error(&self, err: reqwest::Error) -> Error {
        let err = err.without_url();
        let mut text = err.to_string();
        let mut certificate = None;
        let mut source = err.source();
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            certificate = certificate.or_else(|| certificate_problem(cause));
            source = cause.source();
        }
        if let Some(problem) = certificate {
            return Error::UntrustedCertificate(format!(
                "the certificate of {} {problem}; trust its CA with the CA certificates option \
                 (the platform's store is always used)",
                self.target
            ));
        }
        if let (Route::Proxy(proxy), true) = (&self.route, err.is_connect()) {
            return self.proxy_error(proxy, &text, err.is_timeout());
        }
        if err.is_timeout() {
            Error::Timeout(text)
        } else {
            Error::Network(text)
        }
    }

    /// A failure to connect through `proxy`, from hyper-util's tunnel messages (its error type
    /// is not public).
    fn proxy_error(&self, proxy: &ProxyRoute, text: &str, timed_out: bool) -> Error {
        if text.contains("tunnel error: proxy authorization required") {
            return self.auth_required();
        }
        if text.contains("tunnel error: unsuccessful") {
            return ProxyError::Refused {
                proxy: proxy.address.clone(),
                target: self.target.clone(),
            }
            .into();
        }
        let reason = if timed_out {
            format!("no connection within {} ms", self.connect_timeout.as_millis())
        } else {
            text.to_owned()
        };
        ProxyError::Unreachable { proxy: proxy.address.clone(), reason }.into()
    }

    fn auth_required(&self) -> Error {
        let (proxy, credentials_sent) = match &self.route {
            Route::Proxy(proxy) => (proxy.address.clone(), proxy.authorization.is_some()),
            Route::Direct => ("in front of the operator".to_owned(), false),
        };
        ProxyError::AuthRequired { proxy, credentials_sent }.into()
    }
}

/// The reqwest proxy of a route: every request through it, with its credentials.
fn reqwest_proxy(route: &ProxyRoute) -> Result<reqwest::Proxy> {
    let proxy = reqwest::Proxy::all(route.address.as_str()).map_err(|err| {
        Error::Config(format!("the proxy {} cannot be used: {err}", route.address))
    })?;
    Ok(match &route.authorization {
        Some(authorization) => proxy.custom_http_auth(authorization.clone()),
        None => proxy,
    })
}

/// What is wrong with the server's certificate, if `cause` is rustls refusing it. rustls's
/// error travels inside `io::Error`s, whose `source` skips what they wrap.
fn certificate_problem(cause: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut inner = cause;
    while let Some(wrapped) = inner.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
        inner = wrapped;
    }
    let rustls::Error::InvalidCertificate(problem) = inner.downcast_ref::<rustls::Error>()? else {
        return None;
    };
    use rustls::CertificateError as Problem;
    Some(match problem {
        Problem::UnknownIssuer => {
            "is issued by a certificate authority this client does not trust".into()
        }
        Problem::NotValidForName | Problem::NotValidForNameContext { .. } => {
            "is not valid for this host name".into()
        }
        Problem::Expired | Problem::ExpiredContext { .. } => "has expired".into(),
        Problem::NotValidYet | Problem::NotValidYetContext { .. } => "is not valid yet".into(),
        other => format!("is not accepted ({other:?})"),
    })
}
