//! The emulator's own errors: starting it, and bad control requests.

/// Why the emulator could not start, or a control call was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// A setting is invalid; the message names it (never its value).
    #[error("invalid emulator configuration: {0}")]
    Config(String),
    /// Binding the port or starting the runtime failed.
    #[error("emulator I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// A control request (opt-out, faults, clock) was malformed.
    #[error("invalid control request: {0}")]
    Control(String),
    /// The server thread stopped before it reported its address.
    #[error("the emulator thread stopped during start-up")]
    Startup,
}
