//! Targets of door calls: a process-wide map from ids to the Rust state of the objects. The
//! foreign layer holds an id (from `target()`), never a pointer; a closed or unknown id is an
//! error, not undefined behaviour.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::error::EuidError;

/// Ids of targets and queues alike, from 1, never reused.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Values by id.
#[derive(Debug)]
pub(crate) struct Registry<T> {
    entries: RwLock<BTreeMap<u64, T>>,
}

impl<T: Clone> Registry<T> {
    pub(crate) const fn new() -> Registry<T> {
        Registry { entries: RwLock::new(BTreeMap::new()) }
    }

    /// Registers `value` under a new id.
    pub(crate) fn insert(&self, value: T) -> u64 {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        self.entries.write().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(id, value);
        id
    }

    pub(crate) fn get(&self, id: u64) -> Option<T> {
        self.entries.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(&id).cloned()
    }

    pub(crate) fn remove(&self, id: u64) -> Option<T> {
        self.entries.write().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&id)
    }
}

/// The state behind a target id.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    Client(euid_core::PublisherClient),
    Manager(euid_core::IdentityManager),
    Store(Arc<euid_core::MemoryStore>),
}

static TARGETS: Registry<Target> = Registry::new();

/// Registers a target; its id is what `target()` gives the foreign layer.
pub(crate) fn register(target: Target) -> u64 {
    TARGETS.insert(target)
}

/// Removes a target (`close()`, or its shell was dropped). Calls that looked it up already
/// finish normally.
pub(crate) fn release(id: u64) {
    TARGETS.remove(id);
}

/// The client registered under `id`.
pub(crate) fn client(id: u64) -> Result<euid_core::PublisherClient, EuidError> {
    match TARGETS.get(id) {
        Some(Target::Client(client)) => Ok(client),
        _ => Err(euid_core::Error::Closed("the client is closed").into()),
    }
}

/// The identity manager registered under `id`.
pub(crate) fn manager(id: u64) -> Result<euid_core::IdentityManager, EuidError> {
    match TARGETS.get(id) {
        Some(Target::Manager(manager)) => Ok(manager),
        _ => Err(euid_core::Error::Closed("the identity manager is closed").into()),
    }
}

/// The memory store registered under `id`.
pub(crate) fn memory_store(id: u64) -> Result<Arc<euid_core::MemoryStore>, EuidError> {
    match TARGETS.get(id) {
        Some(Target::Store(store)) => Ok(store),
        _ => Err(euid_core::Error::Closed("the memory store is closed").into()),
    }
}

/// A free function's target, which must be 0.
pub(crate) fn none(id: u64) -> Result<(), EuidError> {
    if id == 0 {
        Ok(())
    } else {
        Err(EuidError::internal("this operation takes no target: pass 0"))
    }
}
