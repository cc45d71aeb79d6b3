//! The identity lifecycle: a pure state machine. No I/O and no clock: `now_ms` is an argument.
//!
//! Statuses use the EUID JavaScript SDK's codes, so server and browser share one vocabulary.
//! Boundary instants are decided once, here, and pinned by `tests/vectors/lifecycle.json`:
//!
//! | at `now_ms` | rule |
//! |---|---|
//! | refresh due | `refresh_from <= now_ms` |
//! | advertising token expired | `identity_expires <= now_ms` |
//! | refresh token expired | `refresh_expires < now_ms` |
//!
//! The advertising token's expiry is the browser SDK's (`expiry <= now`). The refresh token's is
//! the operator's (`UIDOperatorService.refreshIdentity`: expired only when `refresh_expires` is
//! before now, so a refresh at `refresh_expires` still succeeds; the Java SDK agrees). "Due"
//! follows the integration guide, which refreshes *from* `refresh_from` on.

use crate::identity::Identity;
use crate::outcome::{GenerateOutcome, RefreshOutcome};

/// Where an identity stands, with the EUID JavaScript SDK's numeric codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityStatus {
    /// `0`: a valid identity, newly established.
    Established,
    /// `1`: a valid identity that replaced an earlier one (a refresh).
    Refreshed,
    /// `100`: the advertising token expired, the refresh token is still valid.
    Expired,
    /// `-1`: no identity.
    NoIdentity,
    /// `-2`: the identity is unusable (missing tokens, or the operator said `invalid_token`).
    Invalid,
    /// `-3`: the refresh token expired.
    RefreshExpired,
    /// `-4`: the user opted out.
    OptOut,
}

impl IdentityStatus {
    /// Every status.
    pub const ALL: [IdentityStatus; 7] = [
        IdentityStatus::Established,
        IdentityStatus::Refreshed,
        IdentityStatus::Expired,
        IdentityStatus::NoIdentity,
        IdentityStatus::Invalid,
        IdentityStatus::RefreshExpired,
        IdentityStatus::OptOut,
    ];

    /// The JavaScript SDK's code.
    pub fn code(self) -> i32 {
        match self {
            IdentityStatus::Established => 0,
            IdentityStatus::Refreshed => 1,
            IdentityStatus::Expired => 100,
            IdentityStatus::NoIdentity => -1,
            IdentityStatus::Invalid => -2,
            IdentityStatus::RefreshExpired => -3,
            IdentityStatus::OptOut => -4,
        }
    }

    /// The status with a JavaScript SDK code.
    pub fn from_code(code: i32) -> Option<IdentityStatus> {
        IdentityStatus::ALL.into_iter().find(|status| status.code() == code)
    }

    /// The snake_case name used by the vectors: `established`, `refresh_expired`, ...
    pub fn name(self) -> &'static str {
        match self {
            IdentityStatus::Established => "established",
            IdentityStatus::Refreshed => "refreshed",
            IdentityStatus::Expired => "expired",
            IdentityStatus::NoIdentity => "no_identity",
            IdentityStatus::Invalid => "invalid",
            IdentityStatus::RefreshExpired => "refresh_expired",
            IdentityStatus::OptOut => "optout",
        }
    }

    /// The status named `name`.
    pub fn from_name(name: &str) -> Option<IdentityStatus> {
        IdentityStatus::ALL.into_iter().find(|status| status.name() == name)
    }

    /// Whether the advertising token may be sent (`Established` or `Refreshed`).
    pub fn is_usable(self) -> bool {
        matches!(self, IdentityStatus::Established | IdentityStatus::Refreshed)
    }
}

/// What a server should do with an identity at a given instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Advice {
    /// Send the advertising token; no refresh needed yet.
    UseAsIs,
    /// Send the advertising token, and refresh (it is `refresh_from` or later).
    UseAndRefresh,
    /// The advertising token expired: refresh first, then send the new one.
    RefreshBeforeUse,
    /// There is no usable identity (none, invalid, refresh expired): establish one from the DII.
    Reestablish,
    /// The user opted out: never send a token for them again.
    DoNotUse,
}

impl Advice {
    /// Every advice.
    pub const ALL: [Advice; 5] = [
        Advice::UseAsIs,
        Advice::UseAndRefresh,
        Advice::RefreshBeforeUse,
        Advice::Reestablish,
        Advice::DoNotUse,
    ];

    /// The snake_case name used by the vectors.
    pub fn name(self) -> &'static str {
        match self {
            Advice::UseAsIs => "use_as_is",
            Advice::UseAndRefresh => "use_and_refresh",
            Advice::RefreshBeforeUse => "refresh_before_use",
            Advice::Reestablish => "reestablish",
            Advice::DoNotUse => "do_not_use",
        }
    }

    /// The advice named `name`.
    pub fn from_name(name: &str) -> Option<Advice> {
        Advice::ALL.into_iter().find(|advice| advice.name() == name)
    }
}

/// Something that happens to an identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `/v2/token/generate` answered.
    Generated(GenerateOutcome),
    /// `/v2/token/refresh` answered.
    Refreshed(RefreshOutcome),
    /// A refresh failed for a transient reason (network, timeout, 5xx, 429): the identity is kept.
    RefreshFailed,
    /// Time passed; only the clock changed.
    TimePassed,
    /// The user logged out: the identity is dropped, no call is made.
    Logout,
}

/// The lifecycle of one user's identity: a status and, while it is worth keeping, the identity.
///
/// Terminal statuses (`NoIdentity`, `Invalid`, `RefreshExpired`, `OptOut`) hold no identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    status: IdentityStatus,
    identity: Option<Identity>,
    /// Whether the held identity came from a refresh (`Refreshed`) or not (`Established`).
    refreshed: bool,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle::new()
    }
}

impl Lifecycle {
    /// No identity.
    pub fn new() -> Lifecycle {
        Lifecycle { status: IdentityStatus::NoIdentity, identity: None, refreshed: false }
    }

    /// An opted-out user.
    pub fn opted_out() -> Lifecycle {
        Lifecycle::terminal(IdentityStatus::OptOut)
    }

    /// An identity taken over from storage, a cookie or another server, seen at `now_ms`.
    pub fn from_identity(identity: Identity, now_ms: i64) -> Lifecycle {
        Lifecycle::holding(identity, false, now_ms)
    }

    /// A lifecycle in `status` holding `identity`, as restored from storage. The status is
    /// re-derived from the identity and `now_ms` where it depends on time, so an inconsistent
    /// pair cannot be built.
    pub fn restore(status: IdentityStatus, identity: Option<Identity>, now_ms: i64) -> Lifecycle {
        match (status, identity) {
            (IdentityStatus::Established | IdentityStatus::Expired, Some(identity)) => {
                Lifecycle::holding(identity, false, now_ms)
            }
            (IdentityStatus::Refreshed, Some(identity)) => {
                Lifecycle::holding(identity, true, now_ms)
            }
            (
                IdentityStatus::OptOut | IdentityStatus::Invalid | IdentityStatus::RefreshExpired,
                _,
            ) => Lifecycle::terminal(status),
            _ => Lifecycle::new(),
        }
    }

    /// The status after the last event.
    pub fn status(&self) -> IdentityStatus {
        self.status
    }

    /// The identity held, if any.
    pub fn identity(&self) -> Option<&Identity> {
        self.identity.as_ref()
    }

    /// Takes the identity out.
    pub fn into_identity(self) -> Option<Identity> {
        self.identity
    }

    /// The status at `now_ms`, without changing anything.
    pub fn status_at(&self, now_ms: i64) -> IdentityStatus {
        match &self.identity {
            Some(identity) => time_status(identity, self.refreshed, now_ms),
            None => self.status,
        }
    }

    /// What to do at `now_ms`.
    pub fn advice(&self, now_ms: i64) -> Advice {
        match self.status_at(now_ms) {
            IdentityStatus::Established | IdentityStatus::Refreshed => match &self.identity {
                Some(identity) if identity.is_due_for_refresh(now_ms) => Advice::UseAndRefresh,
                _ => Advice::UseAsIs,
            },
            IdentityStatus::Expired => Advice::RefreshBeforeUse,
            IdentityStatus::NoIdentity
            | IdentityStatus::Invalid
            | IdentityStatus::RefreshExpired => Advice::Reestablish,
            IdentityStatus::OptOut => Advice::DoNotUse,
        }
    }

    /// The lifecycle after `event` at `now_ms`.
    ///
    /// Refresh answers and time only affect a lifecycle that holds an identity; an opt-out stays
    /// until a new generate or a logout.
    #[must_use]
    pub fn apply(self, event: Event, now_ms: i64) -> Lifecycle {
        match event {
            Event::Generated(GenerateOutcome::Success(identity)) => {
                let replaces = self.identity.is_some();
                Lifecycle::holding(identity, replaces, now_ms)
            }
            Event::Generated(GenerateOutcome::OptOut) => Lifecycle::opted_out(),
            Event::Generated(GenerateOutcome::InsufficientConsent) | Event::Logout => {
                Lifecycle::new()
            }
            _ if self.identity.is_none() => self,
            Event::Refreshed(RefreshOutcome::Refreshed(identity)) => {
                Lifecycle::holding(identity, true, now_ms)
            }
            Event::Refreshed(RefreshOutcome::OptOut) => Lifecycle::opted_out(),
            Event::Refreshed(RefreshOutcome::ExpiredToken) => {
                Lifecycle::terminal(IdentityStatus::RefreshExpired)
            }
            Event::Refreshed(RefreshOutcome::InvalidToken) => {
                Lifecycle::terminal(IdentityStatus::Invalid)
            }
            Event::RefreshFailed | Event::TimePassed => match self.identity {
                Some(identity) => Lifecycle::holding(identity, self.refreshed, now_ms),
                None => Lifecycle::new(),
            },
        }
    }

    fn holding(identity: Identity, refreshed: bool, now_ms: i64) -> Lifecycle {
        match time_status(&identity, refreshed, now_ms) {
            status @ (IdentityStatus::Established
            | IdentityStatus::Refreshed
            | IdentityStatus::Expired) => Lifecycle { status, identity: Some(identity), refreshed },
            terminal => Lifecycle::terminal(terminal),
        }
    }

    fn terminal(status: IdentityStatus) -> Lifecycle {
        Lifecycle { status, identity: None, refreshed: false }
    }
}

/// The status of a held identity at `now_ms`.
fn time_status(identity: &Identity, refreshed: bool, now_ms: i64) -> IdentityStatus {
    if identity.advertising_token.is_empty() || identity.refresh_token.is_empty() {
        IdentityStatus::Invalid
    } else if !identity.is_refreshable(now_ms) {
        IdentityStatus::RefreshExpired
    } else if identity.is_expired(now_ms) {
        IdentityStatus::Expired
    } else if refreshed {
        IdentityStatus::Refreshed
    } else {
        IdentityStatus::Established
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(refresh_from: i64, identity_expires: i64, refresh_expires: i64) -> Identity {
        Identity {
            advertising_token: "A".into(),
            refresh_token: "R".into(),
            identity_expires,
            refresh_from,
            refresh_expires,
            refresh_response_key: None,
            extra: Default::default(),
        }
    }

    #[test]
    fn codes_and_names_round_trip() {
        for status in IdentityStatus::ALL {
            assert_eq!(IdentityStatus::from_code(status.code()), Some(status));
            assert_eq!(IdentityStatus::from_name(status.name()), Some(status));
        }
        for advice in Advice::ALL {
            assert_eq!(Advice::from_name(advice.name()), Some(advice));
        }
    }

    #[test]
    fn a_transient_failure_keeps_the_identity() {
        let lifecycle = Lifecycle::from_identity(identity(10, 20, 30), 0);
        let after = lifecycle.clone().apply(Event::RefreshFailed, 15);
        assert_eq!(after.status(), IdentityStatus::Established);
        assert_eq!(after.identity(), lifecycle.identity());
        assert_eq!(after.advice(15), Advice::UseAndRefresh);
    }

    #[test]
    fn opt_out_is_sticky_until_generate_or_logout() {
        let lifecycle = Lifecycle::opted_out().apply(Event::RefreshFailed, 0);
        assert_eq!(lifecycle.status(), IdentityStatus::OptOut);
        let lifecycle =
            lifecycle.apply(Event::Refreshed(RefreshOutcome::Refreshed(identity(1, 2, 3))), 0);
        assert_eq!(lifecycle.status(), IdentityStatus::OptOut);
        assert_eq!(lifecycle.apply(Event::Logout, 0).status(), IdentityStatus::NoIdentity);
    }
}
