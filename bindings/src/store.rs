//! The host-language side of the manager: a store and a listener implemented in Python, Kotlin
//! or Java, adapted to the core's traits.

use std::fmt;
use std::sync::Arc;

use euid_core::IdentityStatus;

use crate::error::EuidError;

/// Where identities live, implemented in the host language (a session store, a database,
/// Redis). Identities cross as their JSON; the opt-out marker is separate from the identity.
/// Raise or throw to report a failure: the SDK turns it into a store error.
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
    /// `user`'s identity went from `old` to `new`.
    fn status_changed(&self, user: String, old: IdentityStatus, new: IdentityStatus);
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

fn store_error(err: EuidError) -> euid_core::Error {
    euid_core::Error::Store(err.to_string())
}

impl euid_core::IdentityStore for ForeignStore {
    fn load(&self, user: &str) -> euid_core::Result<Option<euid_core::Identity>> {
        let json = self.0.load(user.to_owned()).map_err(store_error)?;
        json.map(|json| euid_core::Identity::from_json(&json)).transpose()
    }

    fn save(&self, user: &str, identity: &euid_core::Identity) -> euid_core::Result<()> {
        self.0.save(user.to_owned(), identity.to_json()).map_err(store_error)
    }

    fn delete(&self, user: &str) -> euid_core::Result<()> {
        self.0.delete(user.to_owned()).map_err(store_error)
    }

    fn is_opted_out(&self, user: &str) -> euid_core::Result<bool> {
        self.0.is_opted_out(user.to_owned()).map_err(store_error)
    }

    fn set_opted_out(&self, user: &str) -> euid_core::Result<()> {
        self.0.set_opted_out(user.to_owned()).map_err(store_error)
    }
}

impl euid_core::StatusListener for ForeignListener {
    fn status_changed(&self, user: &str, old: IdentityStatus, new: IdentityStatus) {
        self.0.status_changed(user.to_owned(), old, new);
    }
}
