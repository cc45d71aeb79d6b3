//! The core's log records (the `log` facade), forwarded to the host language's logging: Python's
//! `logging` (logger `euid_sdk`) or Java's `java.util.logging` (logger `org.euidsdk`).
//!
//! Only the SDK's own records cross (targets `euid_core` and `euid_ffi`), and only at or above
//! the level set here, so a disabled level costs no FFI call. None carries a secret.

use std::sync::{Arc, OnceLock, RwLock};

use crate::error::EuidError;

/// A log level, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

/// One log record.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogRecord {
    pub level: LogLevel,
    /// The Rust module that logged it, e.g. `euid_core::client`.
    pub target: String,
    pub message: String,
}

/// Receives the SDK's log records, implemented in the host language.
#[uniffi::export(foreign)]
pub trait LogSink: Send + Sync {
    /// Handles one record. An error is ignored.
    fn log(&self, record: LogRecord) -> Result<(), EuidError>;
}

static SINK: RwLock<Option<Arc<dyn LogSink>>> = RwLock::new(None);
static INSTALLED: OnceLock<bool> = OnceLock::new();

struct Forwarder;

static FORWARDER: Forwarder = Forwarder;

impl log::Log for Forwarder {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
            && (metadata.target().starts_with("euid_core")
                || metadata.target().starts_with("euid_ffi"))
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let sink = SINK.read().ok().and_then(|sink| sink.clone());
        if let Some(sink) = sink {
            let _ = sink.log(LogRecord {
                level: record.level().into(),
                target: record.target().to_owned(),
                message: record.args().to_string(),
            });
        }
    }

    fn flush(&self) {}
}

impl From<log::Level> for LogLevel {
    fn from(level: log::Level) -> Self {
        match level {
            log::Level::Error => LogLevel::Error,
            log::Level::Warn => LogLevel::Warn,
            log::Level::Info => LogLevel::Info,
            log::Level::Debug => LogLevel::Debug,
            log::Level::Trace => LogLevel::Trace,
        }
    }
}

fn filter(level: Option<LogLevel>) -> log::LevelFilter {
    match level {
        None => log::LevelFilter::Off,
        Some(LogLevel::Error) => log::LevelFilter::Error,
        Some(LogLevel::Warn) => log::LevelFilter::Warn,
        Some(LogLevel::Info) => log::LevelFilter::Info,
        Some(LogLevel::Debug) => log::LevelFilter::Debug,
        Some(LogLevel::Trace) => log::LevelFilter::Trace,
    }
}

/// Sends the SDK's records at `max_level` and above to `sink` (replacing any earlier sink).
/// Returns false if the process already has another Rust logger, which then gets them.
#[uniffi::export]
pub fn set_log_sink(sink: Arc<dyn LogSink>, max_level: Option<LogLevel>) -> bool {
    if let Ok(mut current) = SINK.write() {
        *current = Some(sink);
    }
    let installed = *INSTALLED.get_or_init(|| log::set_logger(&FORWARDER).is_ok());
    if installed {
        log::set_max_level(filter(max_level));
    }
    installed
}

/// Changes the level at and above which records are forwarded (None: none).
#[uniffi::export]
pub fn set_log_level(max_level: Option<LogLevel>) {
    if INSTALLED.get().copied().unwrap_or(false) {
        log::set_max_level(filter(max_level));
    }
}
