//! The handle of a running emulator: its own thread and tokio runtime, stopped on drop.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use crate::config::EmulatorConfig;
use crate::counters::CountersSnapshot;
use crate::error::EmulatorError;
use crate::faults::Fault;
use crate::identity::HashedIdentity;
use crate::server::serve;
use crate::state::State;
use crate::tls::TlsIdentity;

/// A running emulator on `127.0.0.1`. It serves from its own thread with its own
/// multi-thread tokio runtime, so it works from plain `#[test]` and `#[tokio::test]` alike.
/// Dropping the handle stops the server and joins the thread.
///
/// The control methods act on the same state as the HTTP control API under `/emulator/`.
///
/// # Examples
///
/// ```
/// use euid_emulator::{Emulator, EmulatorConfig};
///
/// let emulator = Emulator::start(EmulatorConfig::default())?;
/// assert!(emulator.url().starts_with("http://127.0.0.1:"));
/// emulator.advance_clock_ms(60_000);
/// emulator.opt_out_email("jane.doe@example.com")?;
/// # Ok::<(), euid_emulator::EmulatorError>(())
/// ```
pub struct Emulator {
    state: Arc<State>,
    address: SocketAddr,
    url: String,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds `127.0.0.1:{config.port}` and starts serving.
    ///
    /// # Errors
    ///
    /// [`EmulatorError::Config`] for an invalid configuration, [`EmulatorError::Io`] when
    /// the port cannot be bound or the runtime cannot start.
    pub fn start(config: EmulatorConfig) -> Result<Emulator, EmulatorError> {
        Emulator::serve(config, None)
    }

    /// Like [`Emulator::start`], serving HTTPS with `identity`: the URL is
    /// `https://127.0.0.1:<port>`, so the certificate should name `127.0.0.1` (and any host name
    /// clients use, such as `localhost`).
    ///
    /// # Errors
    ///
    /// As [`Emulator::start`], and [`EmulatorError::Config`] for a certificate or key that
    /// cannot be read or do not match.
    pub fn start_tls(
        config: EmulatorConfig,
        identity: &TlsIdentity,
    ) -> Result<Emulator, EmulatorError> {
        Emulator::serve(config, Some(identity))
    }

    fn serve(config: EmulatorConfig, tls: Option<&TlsIdentity>) -> Result<Emulator, EmulatorError> {
        let acceptor = tls.map(TlsIdentity::acceptor).transpose()?;
        let scheme = if acceptor.is_some() { "https" } else { "http" };
        let state = Arc::new(State::new(&config)?);
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, config.port))?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("euid-emulator-worker")
            .build()?;
        let (shutdown, stop) = oneshot::channel();
        let served = Arc::clone(&state);
        let thread = std::thread::Builder::new().name("euid-emulator".into()).spawn(move || {
            runtime.block_on(async move {
                if let Ok(listener) = tokio::net::TcpListener::from_std(listener) {
                    serve(listener, acceptor, served, stop).await;
                }
            });
        })?;
        Ok(Emulator {
            state,
            address,
            url: format!("{scheme}://{address}"),
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:41234` (`https://` when serving TLS; no trailing
    /// slash, no `/v2`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The API key the emulator accepts.
    pub fn api_key(&self) -> &str {
        &self.state.api_key
    }

    /// The client secret, standard base64.
    pub fn client_secret(&self) -> String {
        self.state.client_secret.to_base64()
    }

    /// The id of the emulator's refresh token key (it appears in "Invalid key" messages).
    pub fn refresh_key_id(&self) -> i32 {
        self.state.keys.refresh_key_id()
    }

    /// The emulator's now, epoch ms.
    pub fn now_ms(&self) -> i64 {
        self.state.clock.now_ms()
    }

    /// The emulator clock's offset from the system clock, ms.
    pub fn clock_offset_ms(&self) -> i64 {
        self.state.clock.offset_ms()
    }

    /// Sets the emulator's now (it keeps ticking from there, unless frozen).
    pub fn set_now_ms(&self, now_ms: i64) {
        self.state.clock.set_now_ms(now_ms);
    }

    /// Stops the emulator's clock at `now_ms` (advancing still moves it), for exact edge
    /// tests.
    pub fn freeze_clock_at(&self, now_ms: i64) {
        self.state.clock.freeze_at(now_ms);
    }

    /// Lets a frozen clock tick again from where it stands.
    pub fn unfreeze_clock(&self) {
        self.state.clock.unfreeze();
    }

    /// Whether the clock is frozen.
    pub fn is_clock_frozen(&self) -> bool {
        self.state.clock.is_frozen()
    }

    /// Moves the emulator's clock by `delta_ms` (negative goes back).
    pub fn advance_clock_ms(&self, delta_ms: i64) {
        self.state.clock.advance_ms(delta_ms);
    }

    /// Opts out a raw email: its next generate and refresh answer `optout`.
    ///
    /// # Errors
    ///
    /// [`EmulatorError::Control`] if the email does not normalize.
    pub fn opt_out_email(&self, email: &str) -> Result<(), EmulatorError> {
        self.opt_out(HashedIdentity::from_email(email))
    }

    /// Opts out a normalized phone number.
    ///
    /// # Errors
    ///
    /// [`EmulatorError::Control`] if the phone is not normalized.
    pub fn opt_out_phone(&self, phone: &str) -> Result<(), EmulatorError> {
        self.opt_out(HashedIdentity::from_phone(phone))
    }

    /// Opts out an email hash (44 base64 or 64 hex characters).
    ///
    /// # Errors
    ///
    /// [`EmulatorError::Control`] if it is not a SHA-256 digest.
    pub fn opt_out_email_hash(&self, hash: &str) -> Result<(), EmulatorError> {
        self.opt_out(HashedIdentity::from_email_hash(hash))
    }

    /// Opts out a phone hash (44 base64 or 64 hex characters).
    ///
    /// # Errors
    ///
    /// [`EmulatorError::Control`] if it is not a SHA-256 digest.
    pub fn opt_out_phone_hash(&self, hash: &str) -> Result<(), EmulatorError> {
        self.opt_out(HashedIdentity::from_phone_hash(hash))
    }

    fn opt_out<E>(&self, identity: Result<HashedIdentity, E>) -> Result<(), EmulatorError> {
        let identity = identity
            .map_err(|_| EmulatorError::Control("the identity does not normalize".into()))?;
        self.state.optouts.add(identity);
        Ok(())
    }

    /// Replaces the fault list.
    ///
    /// # Errors
    ///
    /// [`EmulatorError::Control`] for a probability outside 0..=1 or an impossible status.
    pub fn set_faults(&self, faults: Vec<Fault>) -> Result<(), EmulatorError> {
        self.state.faults.set(faults)
    }

    /// The current fault list, with remaining counts.
    pub fn faults(&self) -> Vec<Fault> {
        self.state.faults.list()
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// The request and outcome counters.
    pub fn counters(&self) -> CountersSnapshot {
        self.state.counters.snapshot()
    }

    /// Adds (`true`) or drops the `Date` header on later answers, as a load balancer in front
    /// of the operator would add one. Reset restores the configured `date_header`.
    pub fn set_date_header(&self, on: bool) {
        self.state.set_date_header(on);
    }

    /// Clears counters, faults, opt-outs, the clock offset and a `Date` header switch.
    pub fn reset(&self) {
        self.state.reset();
    }
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator").field("url", &self.url).finish_non_exhaustive()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // The server may already be gone; either way it stops.
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            // A panicked server thread has nothing left to clean up.
            let _ = thread.join();
        }
    }
}
