//! Where identities live between requests: the `IdentityStore` trait and an in-memory store.

use std::collections::{HashMap, VecDeque};
use std::fmt::{self, Debug};
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::identity::Identity;

/// A store of identities keyed by the publisher's user key, with a persistent opt-out marker.
///
/// The identity and the marker are separate: logging out deletes the identity and keeps the
/// marker, so a user who opted out is not generated for again. Implement it over a session
/// store, a database or Redis to share identities across servers; give network stores short
/// timeouts. Failures are returned as [`Error::Store`].
pub trait IdentityStore: Send + Sync + Debug {
    /// The user's identity, if one is stored.
    ///
    /// # Errors
    ///
    /// [`Error::Store`] if the store fails, [`Error::InvalidIdentity`] if what it holds does
    /// not parse.
    fn load(&self, user: &str) -> Result<Option<Identity>>;

    /// Stores (or replaces) the user's identity.
    ///
    /// # Errors
    ///
    /// [`Error::Store`].
    fn save(&self, user: &str, identity: &Identity) -> Result<()>;

    /// Deletes the user's identity, if any (the opt-out marker stays).
    ///
    /// # Errors
    ///
    /// [`Error::Store`].
    fn delete(&self, user: &str) -> Result<()>;

    /// Whether the user opted out.
    ///
    /// # Errors
    ///
    /// [`Error::Store`].
    fn is_opted_out(&self, user: &str) -> Result<bool>;

    /// Records that the user opted out.
    ///
    /// # Errors
    ///
    /// [`Error::Store`].
    fn set_opted_out(&self, user: &str) -> Result<()>;

    /// Whether calls may wait on I/O (a database, Redis, a host-language callback). The manager
    /// then runs them on a blocking thread pool, so a slow store never holds up other users.
    /// Default: true.
    fn is_blocking(&self) -> bool {
        true
    }
}

#[derive(Default)]
struct Entry {
    identity: Option<Identity>,
    opted_out: bool,
}

#[derive(Default)]
struct Entries {
    by_user: HashMap<String, Entry>,
    /// Users in insertion order, for eviction.
    order: VecDeque<String>,
}

/// A thread-safe in-memory [`IdentityStore`], optionally bounded: beyond `max_users` the user
/// stored first is evicted (identity and marker). `Debug` shows counts, never user keys, which
/// may be emails.
#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<Entries>,
    max_users: Option<usize>,
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("users", &self.len())
            .field("max_users", &self.max_users)
            .finish()
    }
}

impl MemoryStore {
    /// An unbounded store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// A store of at most `max_users` users.
    pub fn bounded(max_users: usize) -> MemoryStore {
        MemoryStore { entries: Mutex::default(), max_users: Some(max_users.max(1)) }
    }

    /// The number of users with an identity or a marker.
    pub fn len(&self) -> usize {
        self.lock().map_or(0, |entries| entries.by_user.len())
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Entries>> {
        self.entries.lock().map_err(|_| Error::Store("the memory store lock is poisoned".into()))
    }

    fn update(&self, user: &str, change: impl FnOnce(&mut Entry)) -> Result<()> {
        let mut entries = self.lock()?;
        let entries = &mut *entries;
        if !entries.by_user.contains_key(user) {
            if let Some(max) = self.max_users {
                while entries.by_user.len() >= max {
                    let Some(oldest) = entries.order.pop_front() else { break };
                    entries.by_user.remove(&oldest);
                }
            }
            entries.order.push_back(user.to_owned());
        }
        let entry = entries.by_user.entry(user.to_owned()).or_default();
        change(entry);
        if entry.identity.is_none() && !entry.opted_out {
            entries.by_user.remove(user);
            entries.order.retain(|stored| stored != user);
        }
        Ok(())
    }
}

impl IdentityStore for MemoryStore {
    fn load(&self, user: &str) -> Result<Option<Identity>> {
        Ok(self.lock()?.by_user.get(user).and_then(|entry| entry.identity.clone()))
    }

    fn save(&self, user: &str, identity: &Identity) -> Result<()> {
        self.update(user, |entry| entry.identity = Some(identity.clone()))
    }

    fn delete(&self, user: &str) -> Result<()> {
        self.update(user, |entry| entry.identity = None)
    }

    fn is_opted_out(&self, user: &str) -> Result<bool> {
        Ok(self.lock()?.by_user.get(user).is_some_and(|entry| entry.opted_out))
    }

    fn set_opted_out(&self, user: &str) -> Result<()> {
        self.update(user, |entry| entry.opted_out = true)
    }

    fn is_blocking(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(token: &str) -> Identity {
        Identity {
            advertising_token: token.into(),
            refresh_token: "R".into(),
            identity_expires: 2,
            refresh_from: 1,
            refresh_expires: 3,
            refresh_response_key: None,
            extra: Default::default(),
        }
    }

    #[test]
    fn delete_keeps_the_opt_out_marker() {
        let store = MemoryStore::new();
        store.save("u", &identity("A")).unwrap();
        store.set_opted_out("u").unwrap();
        store.delete("u").unwrap();
        assert_eq!(store.load("u").unwrap(), None);
        assert!(store.is_opted_out("u").unwrap());
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn a_bounded_store_evicts_the_oldest_user() {
        let store = MemoryStore::bounded(2);
        for user in ["a", "b", "c"] {
            store.save(user, &identity(user)).unwrap();
        }
        assert_eq!(store.load("a").unwrap(), None);
        assert_eq!(store.load("c").unwrap().unwrap().advertising_token, "c");
        store.save("b", &identity("b2")).unwrap();
        assert_eq!(store.len(), 2);
    }
}
