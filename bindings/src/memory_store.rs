//! `MemoryStore`: the core's in-memory identity store as a UniFFI object, so that a manager
//! over it never calls into the host language.

use std::sync::Arc;

use euid_core::IdentityStore as _;

use crate::door::registry::{self, Target};
use crate::error::{invalid_argument, EuidError};

/// A thread-safe identity store in this process's memory, optionally bounded: beyond
/// `max_users` the user stored first is evicted, identity and marker. Identities cross as JSON,
/// as with a host-language store. Lives in the door's registry; closed, its methods fail with
/// `EuidError::Closed`.
#[derive(Debug, uniffi::Object)]
pub struct MemoryStore {
    target: u64,
    max_users: Option<u64>,
}

#[uniffi::export]
impl MemoryStore {
    /// An unbounded store, or one of at most `max_users` users (at least 1).
    #[uniffi::constructor]
    pub fn new(max_users: Option<u64>) -> Result<Arc<Self>, EuidError> {
        let store = match max_users {
            None => euid_core::MemoryStore::new(),
            Some(0) => return Err(invalid_argument("max_users", "must be at least 1")),
            Some(max) => {
                euid_core::MemoryStore::bounded(usize::try_from(max).unwrap_or(usize::MAX))
            }
        };
        let target = registry::register(Target::Store(Arc::new(store)));
        Ok(Arc::new(MemoryStore { target, max_users }))
    }

    /// The id of this store in the registry (stable, never reused).
    pub fn target(&self) -> u64 {
        self.target
    }

    /// Closes the store: its methods and new managers over it fail with `Closed`; managers
    /// already built on it keep it. Idempotent.
    ///
    /// (Not `close`: the generated Kotlin class already has `AutoCloseable.close()`, which
    /// frees the object and so closes it too.)
    pub fn close_target(&self) {
        registry::release(self.target);
    }

    /// The bound on users, if any.
    pub fn max_users(&self) -> Option<u64> {
        self.max_users
    }

    /// The number of users with an identity or an opt-out marker.
    pub fn len(&self) -> Result<u64, EuidError> {
        Ok(u64::try_from(self.core()?.len()).unwrap_or(u64::MAX))
    }

    /// Whether no user has an identity or a marker.
    pub fn is_empty(&self) -> Result<bool, EuidError> {
        Ok(self.core()?.is_empty())
    }

    /// The user's identity JSON, if any.
    pub fn load(&self, user: String) -> Result<Option<String>, EuidError> {
        Ok(self.core()?.load(&user)?.map(|identity| identity.to_json()))
    }

    /// Stores (or replaces) the user's identity JSON, which must parse.
    pub fn save(&self, user: String, identity_json: String) -> Result<(), EuidError> {
        let identity = euid_core::Identity::from_json(&identity_json)?;
        Ok(self.core()?.save(&user, &identity)?)
    }

    /// Deletes the user's identity (not the opt-out marker).
    pub fn delete(&self, user: String) -> Result<(), EuidError> {
        Ok(self.core()?.delete(&user)?)
    }

    /// Whether the user opted out.
    pub fn is_opted_out(&self, user: String) -> Result<bool, EuidError> {
        Ok(self.core()?.is_opted_out(&user)?)
    }

    /// Records that the user opted out.
    pub fn set_opted_out(&self, user: String) -> Result<(), EuidError> {
        Ok(self.core()?.set_opted_out(&user)?)
    }
}

impl MemoryStore {
    /// The core store, for a manager over it.
    pub(crate) fn core(&self) -> Result<Arc<euid_core::MemoryStore>, EuidError> {
        registry::memory_store(self.target)
    }
}

impl Drop for MemoryStore {
    fn drop(&mut self) {
        registry::release(self.target);
    }
}
