//! CORS as the operator does it (`UIDOperatorVerticle`: Vert.x `CorsHandler` on every route,
//! any origin, methods GET, POST, OPTIONS), so a browser SDK on another origin can refresh.

use hyper::header::{
    HeaderValue, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use hyper::{HeaderMap, Method, Response, StatusCode};

/// The operator's allowed methods, in its order.
pub(crate) const ALLOW_METHODS: &str = "GET,POST,OPTIONS";
/// The operator's allowed request headers, in its order.
pub(crate) const ALLOW_HEADERS: &str = "X-UID2-Client-Version,Access-Control-Request-Method,\
Access-Control-Allow-Credentials,Access-Control-Allow-Origin,Access-Control-Allow-Headers,\
Content-Type";

/// The answer to a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`), on
/// any path: 204 with the allowed origin, methods and headers. `None` for any other request.
pub(crate) fn preflight<B: Default>(method: &Method, headers: &HeaderMap) -> Option<Response<B>> {
    if method != Method::OPTIONS || !headers.contains_key(ACCESS_CONTROL_REQUEST_METHOD) {
        return None;
    }
    let origin = headers.get(ORIGIN)?.clone();
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let out = response.headers_mut();
    out.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    out.insert(ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static(ALLOW_METHODS));
    out.insert(ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static(ALLOW_HEADERS));
    Some(response)
}

/// Any other request with an `Origin`: the answer allows that origin and varies on it.
pub(crate) fn allow_origin<B>(request: &HeaderMap, response: &mut Response<B>) {
    if let Some(origin) = request.get(ORIGIN) {
        let out = response.headers_mut();
        out.insert(VARY, HeaderValue::from_static("origin"));
        out.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn only_an_options_request_with_origin_and_request_method_is_a_preflight() {
        let full =
            headers(&[("origin", "http://a.test"), ("access-control-request-method", "POST")]);
        assert!(preflight::<String>(&Method::OPTIONS, &full).is_some());
        assert!(preflight::<String>(&Method::POST, &full).is_none());
        let no_method = headers(&[("origin", "http://a.test")]);
        assert!(preflight::<String>(&Method::OPTIONS, &no_method).is_none());
        let no_origin = headers(&[("access-control-request-method", "POST")]);
        assert!(preflight::<String>(&Method::OPTIONS, &no_origin).is_none());
    }

    #[test]
    fn a_request_without_origin_gets_no_cors_headers() {
        let mut response = Response::new(String::new());
        allow_origin(&HeaderMap::new(), &mut response);
        assert!(response.headers().is_empty());
    }
}
