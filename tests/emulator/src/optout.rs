//! Users opted out through the control API.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::RwLock;

use crate::identity::HashedIdentity;

/// The opt-out store. Lookups are lock-free while it is empty.
#[derive(Debug, Default)]
pub struct OptOuts {
    any: AtomicBool,
    users: RwLock<HashSet<HashedIdentity>>,
}

impl OptOuts {
    /// Opts `identity` out.
    pub fn add(&self, identity: HashedIdentity) {
        let mut users = self.users.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        users.insert(identity);
        self.any.store(true, Ordering::Release);
    }

    /// Whether `identity` opted out.
    pub fn contains(&self, identity: &HashedIdentity) -> bool {
        if !self.any.load(Ordering::Acquire) {
            return false;
        }
        self.users.read().unwrap_or_else(|poisoned| poisoned.into_inner()).contains(identity)
    }

    /// Forgets every opt-out.
    pub fn clear(&self) {
        let mut users = self.users.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        users.clear();
        self.any.store(false, Ordering::Release);
    }
}
