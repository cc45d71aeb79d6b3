//! The forward proxy a client's requests go through: one given explicitly, none, or the
//! environment's, read as curl reads it. Resolved once for the client's base URL, when the
//! client is built.

use std::fmt;

use base64::Engine as _;
use hyper_util::client::proxy::matcher::Matcher;
use reqwest::header::HeaderValue;
use reqwest::Url;

use crate::config::BaseUrl;
use crate::error::{Error, Result};

/// Which proxy a client uses. Default: [`Proxy::FromEnvironment`].
#[derive(Clone, PartialEq, Eq, Default)]
pub enum Proxy {
    /// The environment's, as curl reads it: `HTTPS_PROXY` (or `https_proxy`), else `ALL_PROXY`
    /// (`all_proxy`), unless `NO_PROXY` (`no_proxy`) lists the host (`example.com` also covers
    /// its subdomains; IP addresses, CIDR ranges and `*` work too). `HTTP_PROXY` would apply to
    /// `http://` base URLs, which are loopback ones; requests to a loopback host never take a
    /// proxy from the environment.
    #[default]
    FromEnvironment,
    /// No proxy, whatever the environment says.
    Direct,
    /// This proxy for every request, loopback hosts included:
    /// `http://[user:password@]host[:port]` (port 80 by default; user and password
    /// percent-encoded).
    Url(String),
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Proxy::FromEnvironment => f.write_str("FromEnvironment"),
            Proxy::Direct => f.write_str("Direct"),
            Proxy::Url(url) => match parse_explicit(url) {
                Ok(route) => write!(f, "Url({route:?})"),
                Err(_) => f.write_str("Url(<invalid>)"),
            },
        }
    }
}

/// Where a client's requests go: straight to the operator, or through one proxy.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Route {
    Direct,
    Proxy(ProxyRoute),
}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::Direct => f.write_str("Direct"),
            Route::Proxy(proxy) => write!(f, "Proxy({proxy:?})"),
        }
    }
}

/// A proxy to use: its address, safe to show, and the credentials it is sent, which are not.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct ProxyRoute {
    /// `http://host:port`, without credentials.
    pub(crate) address: String,
    /// `Basic …`, marked sensitive.
    pub(crate) authorization: Option<HeaderValue>,
}

impl fmt::Debug for ProxyRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.address)?;
        if self.authorization.is_some() {
            f.write_str(" (with credentials)")?;
        }
        Ok(())
    }
}

impl Route {
    /// The route of a client of `base` under the setting `proxy`.
    pub(crate) fn resolve(proxy: &Proxy, base: &BaseUrl) -> Result<Route> {
        match proxy {
            Proxy::Direct => Ok(Route::Direct),
            Proxy::Url(url) => parse_explicit(url).map(Route::Proxy),
            Proxy::FromEnvironment if base.loopback => Ok(Route::Direct),
            Proxy::FromEnvironment => from_environment(base),
        }
    }
}

/// Checks an explicit proxy URL. Errors never repeat the URL: it may hold a password.
pub(crate) fn parse_explicit(text: &str) -> Result<ProxyRoute> {
    let url = Url::parse(text.trim())
        .map_err(|err| Error::Config(format!("the proxy URL is not a valid URL: {err}")))?;
    if url.scheme() != "http" {
        return Err(Error::Config(
            "the proxy URL must start with http:// (HTTPS and SOCKS proxies are not supported)"
                .into(),
        ));
    }
    let host = url.host_str().filter(|host| !host.is_empty());
    let Some(host) = host else {
        return Err(Error::Config("the proxy URL has no host".into()));
    };
    if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config("the proxy URL must not have a path, query or fragment".into()));
    }
    let port = url.port().unwrap_or(80);
    let authorization = if url.username().is_empty() && url.password().is_none() {
        None
    } else {
        let user = decode(url.username())?;
        let password = decode(url.password().unwrap_or(""))?;
        Some(basic_authorization(&user, &password)?)
    };
    Ok(ProxyRoute { address: format!("http://{host}:{port}"), authorization })
}

fn decode(part: &str) -> Result<String> {
    percent_encoding::percent_decode_str(part).decode_utf8().map(|s| s.into_owned()).map_err(|_| {
        Error::Config("the proxy URL's user or password is not percent-encoded UTF-8".into())
    })
}

fn basic_authorization(user: &str, password: &str) -> Result<HeaderValue> {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    let mut value = HeaderValue::try_from(format!("Basic {token}"))
        .map_err(|_| Error::Config("the proxy credentials cannot be sent in a header".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

/// The environment's proxy for `base`, as curl chooses it (hyper-util's matcher).
fn from_environment(base: &BaseUrl) -> Result<Route> {
    let uri: http::Uri = base
        .url
        .parse()
        .map_err(|_| Error::Config("the base URL cannot be matched against NO_PROXY".into()))?;
    let Some(intercept) = Matcher::from_env().intercept(&uri) else {
        return Ok(Route::Direct);
    };
    let proxy = intercept.uri();
    let (Some("http"), Some(authority)) = (proxy.scheme_str(), proxy.authority()) else {
        return Err(Error::Config(
            "the environment's proxy (HTTPS_PROXY or ALL_PROXY) is not an http:// proxy; \
             HTTPS and SOCKS proxies are not supported"
                .into(),
        ));
    };
    let port = authority.port_u16().unwrap_or(80);
    Ok(Route::Proxy(ProxyRoute {
        address: format!("http://{}:{port}", authority.host()),
        authorization: intercept.basic_auth().cloned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::validate_base_url;

    #[test]
    fn an_explicit_url_gives_address_and_credentials_apart() {
        let route = parse_explicit("http://us%40er:p%3Ass@proxy.example:3128").unwrap();
        assert_eq!(route.address, "http://proxy.example:3128");
        let expected = base64::engine::general_purpose::STANDARD.encode("us@er:p:ss");
        let header = route.authorization.as_ref().unwrap();
        assert_eq!(header.to_str().unwrap(), format!("Basic {expected}"));
        assert!(header.is_sensitive());
        assert_eq!(format!("{route:?}"), "http://proxy.example:3128 (with credentials)");
        assert_eq!(
            parse_explicit("http://proxy.example/").unwrap().address,
            "http://proxy.example:80"
        );
        assert_eq!(parse_explicit("http://[::1]:8080").unwrap().address, "http://[::1]:8080");
    }

    #[test]
    fn bad_proxy_urls_are_refused_without_repeating_them() {
        for bad in [
            "https://u:secret@proxy:3128",
            "socks5://u:secret@proxy:1080",
            "http://u:secret@proxy:3128/path",
            "http://u:secret@proxy:3128/?q=1",
            "u:secret@proxy:3128",
            "http://u:%FF@proxy:3128",
        ] {
            let err = parse_explicit(bad).unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{bad}: {err:?}");
            assert!(!err.to_string().contains("secret"), "{err}");
        }
        let debug = format!("{:?}", Proxy::Url("http://u:secret@proxy:3128".into()));
        assert_eq!(debug, "Url(http://proxy:3128 (with credentials))");
        assert!(!format!("{:?}", Proxy::Url("ftp://u:secret@x".into())).contains("secret"));
    }

    #[test]
    fn explicit_and_direct_ignore_loopback() {
        let loopback = validate_base_url("http://127.0.0.1:8080").unwrap();
        let explicit = Route::resolve(&Proxy::Url("http://127.0.0.1:3128".into()), &loopback);
        assert!(
            matches!(explicit.unwrap(), Route::Proxy(p) if p.address == "http://127.0.0.1:3128")
        );
        assert_eq!(Route::resolve(&Proxy::Direct, &loopback).unwrap(), Route::Direct);
        // Whatever the environment holds, a loopback base URL is direct.
        assert_eq!(Route::resolve(&Proxy::FromEnvironment, &loopback).unwrap(), Route::Direct);
    }
}
