//! `Lifecycle`: the core's pure identity state machine, as an immutable object.

use std::sync::Arc;

use euid_core::{Advice, IdentityStatus};

use crate::error::EuidError;
use crate::types::{GenerateOutcome, Identity, RefreshOutcome};

/// Something that happens to an identity.
#[derive(Debug, Clone, uniffi::Enum)]
pub enum Event {
    /// `/v2/token/generate` answered.
    Generated { outcome: GenerateOutcome },
    /// `/v2/token/refresh` answered.
    Refreshed { outcome: RefreshOutcome },
    /// A refresh failed for a transient reason; the identity is kept.
    RefreshFailed,
    /// Only time passed.
    TimePassed,
    /// The user logged out.
    Logout,
}

impl TryFrom<Event> for euid_core::Event {
    type Error = EuidError;

    fn try_from(event: Event) -> Result<Self, EuidError> {
        Ok(match event {
            Event::Generated { outcome } => euid_core::Event::Generated(outcome.try_into()?),
            Event::Refreshed { outcome } => euid_core::Event::Refreshed(outcome.try_into()?),
            Event::RefreshFailed => euid_core::Event::RefreshFailed,
            Event::TimePassed => euid_core::Event::TimePassed,
            Event::Logout => euid_core::Event::Logout,
        })
    }
}

/// One user's identity lifecycle. Immutable: `apply` returns the next one.
#[derive(Debug, uniffi::Object)]
pub struct Lifecycle {
    inner: euid_core::Lifecycle,
}

#[uniffi::export]
impl Lifecycle {
    /// No identity.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Lifecycle { inner: euid_core::Lifecycle::new() })
    }

    /// A lifecycle in `status` holding `identity`, restored at `now_ms`; time-dependent
    /// statuses are re-derived from the identity.
    #[uniffi::constructor]
    pub fn restore(
        status: IdentityStatus,
        identity: Option<Identity>,
        now_ms: i64,
    ) -> Result<Arc<Self>, EuidError> {
        let identity = identity.map(euid_core::Identity::try_from).transpose()?;
        Ok(Arc::new(Lifecycle { inner: euid_core::Lifecycle::restore(status, identity, now_ms) }))
    }

    /// The status after the last event.
    pub fn status(&self) -> IdentityStatus {
        self.inner.status()
    }

    /// The identity held, if any.
    pub fn identity(&self) -> Option<Identity> {
        self.inner.identity().cloned().map(Identity::from)
    }

    /// The status at `now_ms`.
    pub fn status_at(&self, now_ms: i64) -> IdentityStatus {
        self.inner.status_at(now_ms)
    }

    /// What to do at `now_ms`.
    pub fn advice(&self, now_ms: i64) -> Advice {
        self.inner.advice(now_ms)
    }

    /// The lifecycle after `event` at `now_ms`.
    pub fn apply(&self, event: Event, now_ms: i64) -> Result<Arc<Lifecycle>, EuidError> {
        let next = self.inner.clone().apply(event.try_into()?, now_ms);
        Ok(Arc::new(Lifecycle { inner: next }))
    }
}
