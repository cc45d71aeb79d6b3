//! A completion queue for event loops: calls submitted with a ticket, finished tickets signalled
//! on a file descriptor the loop watches, results taken by ticket.
//!
//! UniFFI's async functions wake the foreign executor through a callback made from the SDK
//! runtime's worker thread. From Python that is a ctypes callback on a thread Python does not
//! know: the worker waits for the GIL (held by the event loop most of the time), a thread state
//! is created and destroyed, and `call_soon_threadsafe` writes to the loop's self-pipe; each
//! call also takes two polls and a completion call. With many calls in flight the event loop's
//! thread, which does all of that, is the bottleneck. Here a finished call only stores its
//! result and, if the loop has not been signalled since it last looked, writes one byte to a
//! socket; the loop reads the socket (`add_reader`), collects every finished ticket in one call
//! and takes each result with one more. No code runs in the foreign language off its own
//! thread.

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::EuidError;
use crate::types::{GenerateOutcome, RefreshOutcome};

/// A finished call's result.
pub(crate) enum Completed {
    Generate(Result<GenerateOutcome, EuidError>),
    Refresh(Result<RefreshOutcome, EuidError>),
    Validate(Result<bool, EuidError>),
}

#[derive(Default)]
struct State {
    /// Finished tickets not yet collected by [`CompletionQueue::ready_tickets`].
    ready: Vec<u64>,
    results: HashMap<u64, Completed>,
}

/// Results of calls submitted with a ticket (`*_submit` methods of `PublisherClient`).
#[derive(uniffi::Object)]
pub struct CompletionQueue {
    state: Mutex<State>,
    /// Written (one byte) when a ticket finishes and none was waiting to be collected.
    signal: UnixStream,
    /// The end the event loop watches.
    watched: UnixStream,
}

impl std::fmt::Debug for CompletionQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompletionQueue").field("fd", &self.watched.as_raw_fd()).finish()
    }
}

impl CompletionQueue {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Stores a finished call's result and signals the loop if it is not already signalled.
    pub(crate) fn complete(&self, ticket: u64, result: Completed) {
        let first = {
            let mut state = self.state();
            state.results.insert(ticket, result);
            state.ready.push(ticket);
            state.ready.len() == 1
        };
        if first {
            // Non-blocking: a full socket already holds a signal the loop will see.
            let _ = (&self.signal).write(&[1]);
        }
    }

    fn take(&self, ticket: u64) -> Result<Completed, EuidError> {
        self.state().results.remove(&ticket).ok_or_else(|| EuidError::Internal {
            kind: "internal".into(),
            detail: format!("no result for ticket {ticket}"),
        })
    }
}

fn wrong_kind(ticket: u64) -> EuidError {
    EuidError::Internal {
        kind: "internal".into(),
        detail: format!("ticket {ticket} holds the result of another call"),
    }
}

#[uniffi::export]
impl CompletionQueue {
    /// A new queue with its own socket pair.
    #[uniffi::constructor]
    pub fn new() -> Result<Arc<Self>, EuidError> {
        let make = || -> std::io::Result<(UnixStream, UnixStream)> {
            let (signal, watched) = UnixStream::pair()?;
            signal.set_nonblocking(true)?;
            watched.set_nonblocking(true)?;
            Ok((signal, watched))
        };
        let (signal, watched) = make().map_err(|err| EuidError::Internal {
            kind: "internal".into(),
            detail: format!("cannot create the completion socket: {err}"),
        })?;
        Ok(Arc::new(CompletionQueue { state: Mutex::default(), signal, watched }))
    }

    /// The file descriptor to watch for reading.
    pub fn fd(&self) -> i32 {
        self.watched.as_raw_fd()
    }

    /// Clears the signal and returns the tickets finished since the last call, in order.
    pub fn ready_tickets(&self) -> Vec<u64> {
        let mut sink = [0u8; 64];
        loop {
            match (&self.watched).read(&mut sink) {
                Ok(0) => break,
                Ok(_) => continue,
                Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                Err(_) => break, // WouldBlock: drained
            }
        }
        std::mem::take(&mut self.state().ready)
    }

    /// Drops a ticket's result (its caller went away).
    pub fn discard(&self, ticket: u64) {
        self.state().results.remove(&ticket);
    }

    /// The result of a `generate_token_submit`.
    pub fn take_generate(&self, ticket: u64) -> Result<GenerateOutcome, EuidError> {
        match self.take(ticket)? {
            Completed::Generate(result) => result,
            _ => Err(wrong_kind(ticket)),
        }
    }

    /// The result of a `refresh_token_submit`.
    pub fn take_refresh(&self, ticket: u64) -> Result<RefreshOutcome, EuidError> {
        match self.take(ticket)? {
            Completed::Refresh(result) => result,
            _ => Err(wrong_kind(ticket)),
        }
    }

    /// The result of a `validate_token_submit`.
    pub fn take_validate(&self, ticket: u64) -> Result<bool, EuidError> {
        match self.take(ticket)? {
            Completed::Validate(result) => result,
            _ => Err(wrong_kind(ticket)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_once_until_collected_and_hands_results_out_by_ticket() {
        let queue = CompletionQueue::new().unwrap();
        assert!(queue.ready_tickets().is_empty());
        queue.complete(7, Completed::Validate(Ok(true)));
        queue.complete(8, Completed::Validate(Ok(false)));
        let mut byte = [0u8; 8];
        assert_eq!((&queue.watched).read(&mut byte).unwrap(), 1, "one signal for two results");
        (&queue.signal).write_all(&[1]).unwrap();
        assert_eq!(queue.ready_tickets(), vec![7, 8]);
        assert!((&queue.watched).read(&mut byte).is_err(), "drained");
        assert_eq!(queue.take_validate(8), Ok(false));
        assert!(queue.take_generate(7).is_err(), "wrong kind");
        assert!(queue.take_validate(7).is_err(), "taken already");
        queue.complete(9, Completed::Validate(Ok(true)));
        queue.discard(9);
        assert!(queue.take_validate(9).is_err());
    }
}
