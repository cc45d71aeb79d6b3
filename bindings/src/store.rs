//! The host-language side of the manager: a store and a listener implemented in Python, Kotlin
//! or Java, adapted to the core's traits.

use std::fmt;
use std::sync::Arc;

use euid_core::IdentityStatus;

use crate::error::EuidError;

/// Where identities live, implemented in the host language (a session store, a database,
/// Redis). Identities cross as their JSON; the opt-out marker is separate from the identity.
/// Raise or throw to report a failure: the host layer passes it as `EuidError::Store` with the
/// exception's type and message, which the SDK redacts (user key, identity tokens) before it is
/// put into an error.
#[uniffi::export(foreign)]
pub trait IdentityStore: Send + Sync {
    /// The user's identity JSON, if any.
    fn load(&self, user: String) -> Result<Option<String>, EuidError>;
    /// Stores (or replaces) the user's identity JSON.
    fn save(&self, user: String, identity_json: String) -> Result<(), EuidError>;
    /// Deletes the user's identity (not the opt-out marker).
    fn delete(&self, user: String) -> Result<(), EuidError>;
    /// Whether the user opted out.
    fn is_opted_out(&self, user: String) -> Result<bool, EuidError>;
    /// Records that the user opted out.
    fn set_opted_out(&self, user: String) -> Result<(), EuidError>;
}

/// Receives every status change the manager causes.
#[uniffi::export(foreign)]
pub trait StatusListener: Send + Sync {
    /// `user`'s identity went from `old` to `new`. A failure (the host layer passes the
    /// exception as `EuidError::Store`) is logged, redacted, and changes nothing else.
    fn status_changed(
        &self,
        user: String,
        old: IdentityStatus,
        new: IdentityStatus,
    ) -> Result<(), EuidError>;
}

/// A foreign store seen as a core store.
pub(crate) struct ForeignStore(pub(crate) Arc<dyn IdentityStore>);

/// A foreign listener seen as a core listener.
pub(crate) struct ForeignListener(pub(crate) Arc<dyn StatusListener>);

impl fmt::Debug for ForeignStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ForeignStore")
    }
}

impl fmt::Debug for ForeignListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ForeignListener")
    }
}

/// A foreign failure as a core store error, its message redacted by core's one rule.
fn store_error(err: &EuidError, secrets: &[&str]) -> euid_core::Error {
    euid_core::Error::Store(euid_core::redact_failure(&err.info().message, secrets))
}

impl euid_core::IdentityStore for ForeignStore {
    fn load(&self, user: &str) -> euid_core::Result<Option<euid_core::Identity>> {
        let json = self.0.load(user.to_owned()).map_err(|err| store_error(&err, &[user]))?;
        json.map(|json| euid_core::Identity::from_json(&json)).transpose()
    }

    fn save(&self, user: &str, identity: &euid_core::Identity) -> euid_core::Result<()> {
        self.0.save(user.to_owned(), identity.to_json()).map_err(|err| {
            let mut secrets = vec![user, &identity.advertising_token, &identity.refresh_token];
            secrets.extend(identity.refresh_response_key.as_deref());
            store_error(&err, &secrets)
        })
    }

    fn delete(&self, user: &str) -> euid_core::Result<()> {
        self.0.delete(user.to_owned()).map_err(|err| store_error(&err, &[user]))
    }

    fn is_opted_out(&self, user: &str) -> euid_core::Result<bool> {
        self.0.is_opted_out(user.to_owned()).map_err(|err| store_error(&err, &[user]))
    }

    fn set_opted_out(&self, user: &str) -> euid_core::Result<()> {
        self.0.set_opted_out(user.to_owned()).map_err(|err| store_error(&err, &[user]))
    }
}

impl euid_core::StatusListener for ForeignListener {
    fn status_changed(&self, user: &str, old: IdentityStatus, new: IdentityStatus) {
        if let Err(err) = self.0.status_changed(user.to_owned(), old, new) {
            log::warn!(
                "the status listener failed: {}",
                euid_core::redact_failure(&err.info().message, &[user])
            );
        }
    }
}
