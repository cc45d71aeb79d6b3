//! `IdentityManager`: one correct implementation of what every publisher writes by hand — keep
//! each user's identity, refresh it when they come back, stop forever on opt-out, drop it on
//! logout.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use crate::client::PublisherClient;
use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::identity::Identity;
use crate::lifecycle::{Advice, Event, IdentityStatus, Lifecycle};
use crate::outcome::{GenerateOutcome, TokenAnswer};
use crate::runtime;
use crate::store::IdentityStore;
use crate::wire::GenerateRequest;

/// Receives every status change the manager causes, to log or count them. Called on the SDK's
/// runtime threads; keep it quick.
pub trait StatusListener: Send + Sync + fmt::Debug {
    /// `user`'s identity went from `old` to `new`.
    fn status_changed(&self, user: &str, old: IdentityStatus, new: IdentityStatus);
}

/// Keeps identities per user over a [`PublisherClient`] and an [`IdentityStore`].
///
/// - [`establish`](IdentityManager::establish) generates and stores (an opt-out stores the
///   marker instead, and later calls for that user make no request);
/// - [`advertising_token`](IdentityManager::advertising_token) returns the token to send,
///   refreshing first when it is due. Concurrent calls for one user share a single refresh;
///   different users never wait for each other;
/// - nothing is lost: a failed refresh keeps the identity (and its token while it is valid);
///   an opt-out deletes it and sets the marker; an expired or invalid refresh token deletes it;
/// - [`logout`](IdentityManager::logout) deletes the identity without a request.
///
/// Cheap to clone; share one per process.
#[derive(Clone)]
pub struct IdentityManager {
    inner: Arc<Inner>,
}

type Flight = Arc<OnceCell<Result<TokenAnswer>>>;

struct Inner {
    client: PublisherClient,
    store: Arc<dyn IdentityStore>,
    clock: Arc<dyn Clock>,
    listener: Option<Arc<dyn StatusListener>>,
    /// Refreshes in flight, by user.
    flights: Mutex<HashMap<String, Flight>>,
}

impl fmt::Debug for IdentityManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityManager")
            .field("client", &self.inner.client)
            .field("store", &self.inner.store)
            .finish_non_exhaustive()
    }
}

impl IdentityManager {
    /// A manager over `client` and `store`, reading the system clock.
    pub fn new(client: PublisherClient, store: Arc<dyn IdentityStore>) -> IdentityManager {
        IdentityManager::with_options(client, store, Arc::new(SystemClock), None)
    }

    /// A manager with its own clock (tests and demos move it) and an optional listener.
    pub fn with_options(
        client: PublisherClient,
        store: Arc<dyn IdentityStore>,
        clock: Arc<dyn Clock>,
        listener: Option<Arc<dyn StatusListener>>,
    ) -> IdentityManager {
        IdentityManager {
            inner: Arc::new(Inner { client, store, clock, listener, flights: Mutex::default() }),
        }
    }

    /// Generates an identity for `user` and stores it. An opt-out answer stores the opt-out
    /// marker instead; a user who has the marker gets [`GenerateOutcome::OptOut`] without a
    /// request. Insufficient consent deletes any stored identity.
    ///
    /// # Errors
    ///
    /// The client's errors (nothing is stored then), or [`Error::Store`](crate::Error::Store).
    pub async fn establish(
        &self,
        user: &str,
        request: &GenerateRequest,
    ) -> Result<GenerateOutcome> {
        runtime::spawn(self.establish_task(user.to_owned(), request.clone())).await
    }

    /// [`establish`](IdentityManager::establish) as a future that owns what it needs and is not
    /// spawned: await it inside the SDK runtime's context (a task of it, or
    /// [`runtime::block_on`]).
    pub fn establish_task(
        &self,
        user: String,
        request: GenerateRequest,
    ) -> impl Future<Output = Result<GenerateOutcome>> + Send + 'static {
        let inner = Arc::clone(&self.inner);
        async move { inner.establish(&user, request).await }
    }

    /// The advertising token to send for `user` now, refreshing first when it is due.
    ///
    /// # Errors
    ///
    /// When a refresh fails and the stored token has expired (the identity is kept for the
    /// next try), or when the store fails. While the token is still valid a failed refresh is
    /// logged and the current token returned.
    pub async fn advertising_token(&self, user: &str) -> Result<TokenAnswer> {
        runtime::spawn(self.advertising_token_task(user.to_owned())).await
    }

    /// [`advertising_token`](IdentityManager::advertising_token) as a future that is not
    /// spawned (see [`establish_task`](IdentityManager::establish_task)).
    pub fn advertising_token_task(
        &self,
        user: String,
    ) -> impl Future<Output = Result<TokenAnswer>> + Send + 'static {
        let inner = Arc::clone(&self.inner);
        async move { inner.advertising_token(&user).await }
    }

    /// Deletes `user`'s identity (the opt-out marker stays). No request is made.
    ///
    /// # Errors
    ///
    /// [`Error::Store`](crate::Error::Store).
    pub fn logout(&self, user: &str) -> Result<()> {
        let old = self.status(user)?;
        self.inner.store.delete(user)?;
        self.inner.notify(user, old, IdentityStatus::NoIdentity);
        Ok(())
    }

    /// `user`'s status now, from the store alone (no request).
    ///
    /// # Errors
    ///
    /// [`Error::Store`](crate::Error::Store).
    pub fn status(&self, user: &str) -> Result<IdentityStatus> {
        self.inner.current(user).map(|seen| seen.lifecycle.status())
    }

    /// `user`'s stored identity, e.g. to hand it to the browser SDK (see
    /// [`cookie`](crate::cookie)).
    ///
    /// # Errors
    ///
    /// [`Error::Store`](crate::Error::Store).
    pub fn identity(&self, user: &str) -> Result<Option<Identity>> {
        self.inner.store.load(user)
    }
}

/// A user's state as read from the store.
#[derive(Clone)]
struct Seen {
    lifecycle: Lifecycle,
    /// The identity in the store, which a terminal lifecycle no longer holds.
    stored: Option<Identity>,
    now_ms: i64,
}

impl Inner {
    fn current(&self, user: &str) -> Result<Seen> {
        let now_ms = self.clock.now_ms();
        if self.store.is_opted_out(user)? {
            return Ok(Seen { lifecycle: Lifecycle::opted_out(), stored: None, now_ms });
        }
        let stored = self.store.load(user)?;
        let lifecycle = match &stored {
            Some(identity) => Lifecycle::from_identity(identity.clone(), now_ms),
            None => Lifecycle::new(),
        };
        Ok(Seen { lifecycle, stored, now_ms })
    }

    /// Runs store and listener work off the runtime's worker threads when the store blocks,
    /// so a slow store never holds up other users.
    async fn store_work<T, F>(self: &Arc<Self>, work: F) -> Result<T>
    where
        F: FnOnce(&Inner) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        if !self.store.is_blocking() {
            return work(self);
        }
        let inner = Arc::clone(self);
        tokio::task::spawn_blocking(move || work(&inner))
            .await
            .map_err(|err| Error::Internal(format!("a store task failed: {err}")))?
    }

    async fn read(self: &Arc<Self>, user: &str) -> Result<Seen> {
        let user = user.to_owned();
        self.store_work(move |inner| inner.current(&user)).await
    }

    /// Persists `after` (see [`Inner::persist`]) and gives it back.
    async fn write(
        self: &Arc<Self>,
        user: &str,
        seen: &Seen,
        after: Lifecycle,
    ) -> Result<Lifecycle> {
        let (user, seen) = (user.to_owned(), seen.clone());
        self.store_work(move |inner| inner.persist(&user, &seen, &after).map(|()| after)).await
    }

    fn notify(&self, user: &str, old: IdentityStatus, new: IdentityStatus) {
        if old != new {
            log::debug!("identity status changed from {} to {}", old.name(), new.name());
            if let Some(listener) = &self.listener {
                listener.status_changed(user, old, new);
            }
        }
    }

    async fn establish(
        self: &Arc<Self>,
        user: &str,
        request: GenerateRequest,
    ) -> Result<GenerateOutcome> {
        let seen = self.read(user).await?;
        if seen.lifecycle.status() == IdentityStatus::OptOut {
            return Ok(GenerateOutcome::OptOut);
        }
        let outcome = self.client.generate_token_task(request).await?;
        let after =
            seen.lifecycle.clone().apply(Event::Generated(outcome.clone()), self.clock.now_ms());
        self.write(user, &seen, after).await?;
        Ok(outcome)
    }

    async fn advertising_token(self: &Arc<Self>, user: &str) -> Result<TokenAnswer> {
        let seen = self.read(user).await?;
        match seen.lifecycle.advice(seen.now_ms) {
            Advice::UseAsIs => Ok(token_of(&seen.lifecycle)),
            Advice::UseAndRefresh | Advice::RefreshBeforeUse => self.refresh_shared(user).await,
            Advice::Reestablish | Advice::DoNotUse => self.settle(user, &seen).await,
        }
    }

    /// A user without a usable identity: delete what time made useless, say why.
    async fn settle(self: &Arc<Self>, user: &str, seen: &Seen) -> Result<TokenAnswer> {
        let after = self.write(user, seen, seen.lifecycle.clone()).await?;
        Ok(token_of(&after))
    }

    /// Joins the refresh in flight for `user`, or starts one.
    async fn refresh_shared(self: &Arc<Self>, user: &str) -> Result<TokenAnswer> {
        let flight = {
            let mut flights = self.flights.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            Arc::clone(flights.entry(user.to_owned()).or_default())
        };
        let answer = flight.get_or_init(|| self.refresh(user)).await.clone();
        let mut flights = self.flights.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if flights.get(user).is_some_and(|current| Arc::ptr_eq(current, &flight)) {
            flights.remove(user);
        }
        answer
    }

    /// One refresh. It re-reads the store first: a flight that just ended may have refreshed
    /// already.
    async fn refresh(self: &Arc<Self>, user: &str) -> Result<TokenAnswer> {
        let seen = self.read(user).await?;
        let identity = match (seen.lifecycle.advice(seen.now_ms), seen.lifecycle.identity()) {
            (Advice::UseAndRefresh | Advice::RefreshBeforeUse, Some(identity)) => identity.clone(),
            (Advice::Reestablish | Advice::DoNotUse, _) => return self.settle(user, &seen).await,
            _ => return Ok(token_of(&seen.lifecycle)),
        };
        match self.client.refresh_token_task(identity).await {
            Ok(outcome) => {
                let after =
                    seen.lifecycle.clone().apply(Event::Refreshed(outcome), self.clock.now_ms());
                let after = self.write(user, &seen, after).await?;
                Ok(token_of(&after))
            }
            Err(err) => {
                let after = seen.lifecycle.apply(Event::RefreshFailed, self.clock.now_ms());
                if after.status().is_usable() {
                    log::warn!("refresh failed; the current token is still valid: {err}");
                    Ok(token_of(&after))
                } else {
                    log::warn!("refresh failed and the token has expired: {err}");
                    Err(err)
                }
            }
        }
    }

    /// Writes to the store what changed from `seen` to `after`, then notifies.
    fn persist(&self, user: &str, seen: &Seen, after: &Lifecycle) -> Result<()> {
        let opting_out = after.status() == IdentityStatus::OptOut
            && seen.lifecycle.status() != IdentityStatus::OptOut;
        if opting_out {
            self.store.set_opted_out(user)?;
        }
        match after.identity() {
            Some(identity) if seen.stored.as_ref() != Some(identity) => {
                self.store.save(user, identity)?;
            }
            Some(_) => {}
            None if seen.stored.is_some() => self.store.delete(user)?,
            None => {}
        }
        self.notify(user, seen.lifecycle.status(), after.status());
        Ok(())
    }
}

/// What a lifecycle means for the caller of `advertising_token`.
fn token_of(lifecycle: &Lifecycle) -> TokenAnswer {
    match (lifecycle.status(), lifecycle.identity()) {
        (IdentityStatus::OptOut, _) => TokenAnswer::OptedOut,
        (IdentityStatus::RefreshExpired, _) => TokenAnswer::RefreshExpired,
        (IdentityStatus::Invalid, _) => TokenAnswer::Invalid,
        (_, Some(identity)) => TokenAnswer::Token(identity.advertising_token.clone()),
        (_, None) => TokenAnswer::NoIdentity,
    }
}
