//! Every public type and error, formatted with known secret values inside.

use std::sync::Arc;

use euid_core::cookie::{self, Cookie};
use euid_core::{
    blocking, Credentials, Dii, Environment, Error, GenerateOutcome, GenerateRequest, Identity,
    IdentityManager, IdentityStore, Lifecycle, MemoryStore, PublisherClient, RefreshOutcome,
    SecretKey, TokenAnswer,
};

use crate::{assert_clean, API_KEY, EMAIL};

const CLIENT_SECRET: &str = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=";
const TOKEN: &str = "AT-SECRET-advertising-token";
const REFRESH: &str = "RT-SECRET-refresh-token";
const KEY: &str = "P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU=";

fn secrets() -> Vec<&'static str> {
    vec![API_KEY, CLIENT_SECRET, "c2VjcmV0", TOKEN, REFRESH, KEY, "P941v", EMAIL, "secret.person"]
}

fn identity() -> Identity {
    Identity::from_json(&format!(
        r#"{{"advertising_token":"{TOKEN}","refresh_token":"{REFRESH}","identity_expires":3,"refresh_from":2,"refresh_expires":4,"refresh_response_key":"{KEY}","user_token":"{TOKEN}"}}"#
    ))
    .unwrap()
}

fn check(what: &str, text: String) {
    assert_clean(what, &text, &secrets());
}

#[test]
fn debug_of_every_type_hides_the_secrets() {
    let client = PublisherClient::builder(Environment::Production, API_KEY, CLIENT_SECRET);
    check("ClientBuilder", format!("{client:?}"));
    let client = client.build().unwrap();
    check("PublisherClient", format!("{client:?}"));
    check(
        "blocking client",
        format!("{:?}", blocking::PublisherClient::from_async(client.clone())),
    );
    check("Credentials", format!("{:?}", Credentials::new(API_KEY, CLIENT_SECRET).unwrap()));
    check("SecretKey", format!("{:?}", SecretKey::from_base64(KEY, "key").unwrap()));
    check("Identity", format!("{:?}", identity()));
    check("Dii", format!("{:?} {:?}", Dii::email(EMAIL).unwrap(), Dii::raw_email(EMAIL).unwrap()));
    check("GenerateRequest", format!("{:?}", GenerateRequest::new(Dii::raw_email(EMAIL).unwrap())));
    check("GenerateOutcome", format!("{:?}", GenerateOutcome::Success(identity())));
    check("RefreshOutcome", format!("{:?}", RefreshOutcome::Refreshed(identity())));
    check("Lifecycle", format!("{:?}", Lifecycle::from_identity(identity(), 0)));
    check("TokenAnswer", format!("{:?}", TokenAnswer::Token(TOKEN.into())));
    let store = Arc::new(MemoryStore::new());
    store.save(EMAIL, &identity()).unwrap();
    check("MemoryStore", format!("{store:?}"));
    check("IdentityManager", format!("{:?}", IdentityManager::new(client, store)));
    let cookie = Cookie::for_identity(&identity(), None);
    check("Cookie", format!("{cookie:?}"));
    check("BrowserIdentity", format!("{:?}", cookie::parse_browser_value(&cookie.value).unwrap()));
}

#[test]
fn errors_never_quote_the_input() {
    let errors: Vec<Error> = vec![
        Credentials::new(&format!("{API_KEY} with spaces"), CLIENT_SECRET).unwrap_err(),
        Credentials::new(API_KEY, &CLIENT_SECRET[..20]).unwrap_err(),
        Credentials::new(API_KEY, &format!("{CLIENT_SECRET}!")).unwrap_err(),
        Dii::email(&EMAIL.replace('@', "")).unwrap_err().into(),
        Dii::phone(EMAIL).unwrap_err().into(),
        Dii::email_hash(TOKEN).unwrap_err().into(),
        Identity::from_json(&format!(r#"{{"advertising_token":1,"refresh_token":"{REFRESH}"}}"#))
            .unwrap_err(),
        Identity::from_json(&format!(r#"{{"advertising_token":"{TOKEN}","#)).unwrap_err(),
        Identity::from_json(&identity().to_json().replace(KEY, "P941v-not-base64")).unwrap_err(),
        cookie::parse_browser_value(&format!("%7B{TOKEN}%ZZ")).unwrap_err(),
        PublisherClient::builder(
            Environment::Custom(format!("http://{API_KEY}.example.com")),
            API_KEY,
            CLIENT_SECRET,
        )
        .build()
        .unwrap_err(),
        euid_core::wire::Failure {
            http_status: 502,
            body: format!("<html>{TOKEN} {EMAIL}</html>").as_bytes(),
            retry_after_secs: None,
        }
        .into_error(),
        euid_core::wire::Answer::parse(format!("{{\"status\":{TOKEN}}}").as_bytes()).unwrap_err(),
    ];
    for err in errors {
        check("error Display", err.to_string());
        check("error Debug", format!("{err:?}"));
    }
}
