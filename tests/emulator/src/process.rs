//! Running the emulator as a process: serve until standard input closes or a signal arrives.

use std::io::Read;

use tokio::sync::oneshot;

/// Blocks until standard input reaches end of file (unless `ignore_stdin`), or the process is
/// asked to stop: SIGTERM or SIGINT on Unix, Ctrl-C or Ctrl-Break on Windows.
///
/// # Errors
///
/// When the watcher thread or the signal handlers cannot be set up.
pub fn wait_for_stop(ignore_stdin: bool) -> std::io::Result<()> {
    let (eof_sender, eof) = oneshot::channel::<()>();
    if !ignore_stdin {
        // A plain thread: a blocking read cannot be cancelled, and the process exits anyway.
        std::thread::Builder::new().name("stdin-watch".into()).spawn(move || {
            let mut buffer = [0u8; 512];
            let mut stdin = std::io::stdin().lock();
            while matches!(stdin.read(&mut buffer), Ok(n) if n > 0) {}
            let _ = eof_sender.send(());
        })?;
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async move {
        let terminate = termination()?;
        let stdin_closed = async {
            if ignore_stdin {
                std::future::pending::<()>().await;
            } else {
                // A dropped sender (thread gone) also means stdin is unusable.
                let _ = eof.await;
            }
        };
        tokio::select! {
            () = stdin_closed => {}
            () = terminate => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        Ok(())
    })
}

/// The platform's request to terminate, besides Ctrl-C: SIGTERM on Unix, Ctrl-Break on Windows.
#[cfg(unix)]
fn termination() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        terminate.recv().await;
    })
}

/// The platform's request to terminate, besides Ctrl-C: SIGTERM on Unix, Ctrl-Break on Windows.
#[cfg(windows)]
fn termination() -> std::io::Result<impl std::future::Future<Output = ()>> {
    let mut terminate = tokio::signal::windows::ctrl_break()?;
    Ok(async move {
        terminate.recv().await;
    })
}
