//! The SDK's own tokio runtime: one per process, created on first use, and created afresh in a
//! child after `fork()`.
//!
//! A tokio runtime does not survive `fork()`: the child inherits none of its threads and shares
//! its epoll descriptor with the parent. Pre-fork servers (gunicorn `--preload`, uWSGI, Celery)
//! import the application, and so maybe use the SDK, before forking. The runtime is therefore
//! keyed by process id: a child's first call builds a new one and deliberately leaks the parent's
//! copy, whose threads do not exist in the child and must not be joined or deregistered.
//!
//! Every request runs here. An async call is spawned once ([`spawn`]) and the caller awaits a
//! `JoinHandle`, which any executor can poll (Python's asyncio, Kotlin coroutines, another tokio
//! runtime); a blocking call drives its future on the calling thread ([`block_on`]).

use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::runtime::{Builder, Handle, Runtime};

use crate::error::{Error, Result};

/// The environment variable that sets the number of worker threads (1 to 64).
pub const WORKER_THREADS_ENV: &str = "EUID_SDK_WORKER_THREADS";

/// Worker threads of the SDK runtime: `EUID_SDK_WORKER_THREADS` if set, else half the cores
/// (at least 1, at most 4), leaving the rest to the application. Measured on a 2-core server
/// (docs/runtime.md): one worker answers a sequential call a third faster than two, because
/// a second worker only adds cross-thread wake-ups, and serves 8 threads or 32 asyncio calls
/// in flight as fast.
pub fn worker_threads() -> usize {
    std::env::var(WORKER_THREADS_ENV)
        .ok()
        .and_then(|value| value.trim().parse::<usize>().ok())
        .filter(|threads| (1..=64).contains(threads))
        .unwrap_or_else(|| {
            let cores = std::thread::available_parallelism().map_or(1, usize::from);
            (cores / 2).clamp(1, 4)
        })
}

struct ProcessRuntime {
    pid: u32,
    runtime: Arc<Runtime>,
}

static RUNTIME: Mutex<Option<ProcessRuntime>> = Mutex::new(None);

/// Per-process state: rebuilt in a child after `fork()`, the parent's copy leaked.
#[derive(Debug)]
pub(crate) struct PerProcess<T> {
    slot: Mutex<Option<(u32, T)>>,
}

impl<T: Clone> PerProcess<T> {
    pub(crate) fn new() -> PerProcess<T> {
        PerProcess { slot: Mutex::new(None) }
    }

    /// This process's value, built by `make` on first use in each process.
    pub(crate) fn get_or_try_init(&self, make: impl FnOnce() -> Result<T>) -> Result<T> {
        let pid = std::process::id();
        let mut slot = self.slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match slot.as_ref() {
            Some((owner, value)) if *owner == pid => Ok(value.clone()),
            _ => {
                let value = make()?;
                if let Some(stale) = slot.replace((pid, value.clone())) {
                    // Inherited from the parent: dropping it would touch the parent's runtime.
                    std::mem::forget(stale);
                }
                Ok(value)
            }
        }
    }
}

/// The handle of this process's SDK runtime.
///
/// # Errors
///
/// [`Error::Internal`] if the runtime cannot be started (no threads available).
pub fn handle() -> Result<Handle> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(current) = slot.as_ref() {
        if current.pid == pid {
            return Ok(current.runtime.handle().clone());
        }
    }
    let runtime = Arc::new(
        Builder::new_multi_thread()
            .worker_threads(worker_threads())
            .thread_name("euid-sdk")
            .enable_all()
            .build()
            .map_err(|err| Error::Internal(format!("cannot start the SDK runtime: {err}")))?,
    );
    let handle = runtime.handle().clone();
    if let Some(stale) = slot.replace(ProcessRuntime { pid, runtime }) {
        std::mem::forget(stale);
    }
    Ok(handle)
}

/// Runs `future` on the SDK runtime and awaits it from any executor.
///
/// # Errors
///
/// The future's own error, or [`Error::Internal`] if the task panicked.
pub async fn spawn<T, F>(future: F) -> Result<T>
where
    F: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    handle()?
        .spawn(future)
        .await
        .map_err(|err| Error::Internal(format!("the SDK task failed: {err}")))?
}

/// Drives `future` to completion on the calling thread, inside the SDK runtime's context (its
/// timers, sockets and blocking pool), without spawning a task: a blocking call is one hand-off.
///
/// # Errors
///
/// [`Error::Config`] when called from inside an async runtime (use the async client there),
/// [`Error::Internal`] if the SDK runtime cannot be started, else the future's own error.
pub fn block_on<T, F>(future: F) -> Result<T>
where
    F: Future<Output = Result<T>>,
{
    if Handle::try_current().is_ok() {
        return Err(Error::Config(
            "a blocking call was made from inside an async runtime; use the async client".into(),
        ));
    }
    handle()?.block_on(future)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread_name() -> Option<String> {
        std::thread::current().name().map(str::to_owned)
    }

    #[test]
    fn block_on_drives_the_future_on_the_calling_thread_with_the_runtime_context() {
        let caller = thread_name();
        let (ran_on, in_context) = block_on(async {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            Ok((thread_name(), Handle::try_current().is_ok()))
        })
        .unwrap();
        assert_eq!(ran_on, caller);
        assert!(in_context);
    }

    #[test]
    fn spawn_runs_on_the_sdk_runtime() {
        let ran_on = block_on(spawn(async { Ok(thread_name()) })).unwrap();
        assert_eq!(ran_on.as_deref(), Some("euid-sdk"));
    }

    #[tokio::test]
    async fn block_on_inside_a_runtime_is_a_config_error() {
        let err = block_on(async { Ok(()) }).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
    }
}
