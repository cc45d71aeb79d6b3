//! Completion queues: results of submitted calls, taken in batches by the foreign layer.
//!
//! A finished call appends its record and, when the queue was empty, writes one byte to a socket
//! whose other end an event loop may watch (Python's `add_reader`; see [`signal`]); a thread may
//! instead wait in [`Queue::take`] on a condition variable (the JVM's completion thread). Either
//! way waiting costs nothing: no timer, no polling. Nothing runs foreign code on the SDK's threads.

mod signal;

use std::io::{ErrorKind, Read, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::registry::Registry;

#[cfg(test)]
pub(super) use signal::readable;

#[derive(Debug, Default)]
struct State {
    /// Records of ticket (u64), length (u32) and result bytes, big-endian.
    records: Vec<u8>,
    closed: bool,
}

/// One completion queue.
#[derive(Debug)]
pub(crate) struct Queue {
    state: Mutex<State>,
    ready: Condvar,
    /// Written (one byte) when the first record of a batch arrives.
    signal: signal::Stream,
    /// The end the foreign event loop watches; drained by `take`.
    watched: signal::Stream,
}

static QUEUES: Registry<Arc<Queue>> = Registry::new();

/// A new queue's id, or 0 when its socket pair cannot be made.
pub(crate) fn create() -> u64 {
    match Queue::new() {
        Ok(queue) => QUEUES.insert(Arc::new(queue)),
        Err(err) => {
            log::error!("cannot create a completion queue: {err}");
            0
        }
    }
}

/// The queue `id`, if it is open.
pub(crate) fn get(id: u64) -> Option<Arc<Queue>> {
    QUEUES.get(id)
}

/// Closes queue `id`: waiting takes return, later posts are dropped.
pub(crate) fn close(id: u64) {
    if let Some(queue) = QUEUES.remove(id) {
        queue.close();
    }
}

/// Where one submitted call's result goes. Dropped without a result (its task panicked or was
/// dropped by a runtime shutting down), it posts an internal error, so a waiter always hears.
#[derive(Debug)]
pub(crate) struct Completion {
    queue: Arc<Queue>,
    ticket: u64,
    posted: bool,
}

impl Completion {
    pub(crate) fn new(queue: Arc<Queue>, ticket: u64) -> Completion {
        Completion { queue, ticket, posted: false }
    }

    /// Posts the result bytes of the call.
    pub(crate) fn post(mut self, result: &[u8]) {
        self.posted = true;
        self.queue.post(self.ticket, result);
    }
}

impl Drop for Completion {
    fn drop(&mut self) {
        if !self.posted {
            let err =
                crate::error::EuidError::internal("the call did not finish (the SDK panicked)");
            self.queue.post(self.ticket, &super::codec::encode::<()>(Err(err)));
        }
    }
}

impl Queue {
    fn new() -> std::io::Result<Queue> {
        let (signal, watched) = signal::pair()?;
        Ok(Queue { state: Mutex::default(), ready: Condvar::new(), signal, watched })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// What an event loop watches: a file descriptor, on Windows a `SOCKET` ([`signal::handle`]).
    pub(crate) fn fd(&self) -> i32 {
        signal::handle(&self.watched)
    }

    /// Appends the result of `ticket`; the first record of a batch wakes the takers.
    pub(crate) fn post(&self, ticket: u64, result: &[u8]) {
        let Ok(len) = u32::try_from(result.len()) else {
            log::error!("a result of {} bytes cannot be posted", result.len());
            return;
        };
        let mut state = self.state();
        if state.closed {
            return;
        }
        let first = state.records.is_empty();
        state.records.extend_from_slice(&ticket.to_be_bytes());
        state.records.extend_from_slice(&len.to_be_bytes());
        state.records.extend_from_slice(result);
        if first {
            // Under the lock, so that a take's drain never removes the signal of a record it
            // did not take. Non-blocking; at most one byte is ever unread.
            let _ = (&self.signal).write(&[1]);
            self.ready.notify_all();
        }
    }

    /// Waits up to `timeout_ms` (0: not at all; < 0: until a record arrives or the queue is
    /// closed) and takes every record; empty when none came or the queue is closed.
    pub(crate) fn take(&self, timeout_ms: i64) -> Vec<u8> {
        let mut state = self.state();
        let deadline = u64::try_from(timeout_ms)
            .ok()
            .and_then(|ms| Instant::now().checked_add(Duration::from_millis(ms)));
        while state.records.is_empty() && !state.closed && timeout_ms != 0 {
            state = match deadline {
                None if timeout_ms < 0 => {
                    self.ready.wait(state).unwrap_or_else(|poisoned| poisoned.into_inner())
                }
                None => break,
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        break;
                    }
                    self.ready
                        .wait_timeout(state, left)
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .0
                }
            };
        }
        self.drain_signal();
        if state.closed {
            return Vec::new();
        }
        std::mem::take(&mut state.records)
    }

    fn drain_signal(&self) {
        let mut sink = [0u8; 16];
        loop {
            match (&self.watched).read(&mut sink) {
                Ok(0) => break,
                Ok(_) => continue,
                Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                Err(_) => break, // WouldBlock: drained
            }
        }
    }

    fn close(&self) {
        let mut state = self.state();
        state.closed = true;
        state.records = Vec::new();
        self.ready.notify_all();
        // Wakes an event loop watching the fd, which then finds the queue closed.
        let _ = (&self.signal).write(&[1]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readable(queue: &Queue) -> bool {
        signal::readable(queue.fd(), 0)
    }

    #[test]
    fn signals_once_per_batch_and_take_drains_it() {
        let queue = Queue::new().unwrap();
        assert!(queue.take(0).is_empty());
        assert!(!readable(&queue));
        queue.post(7, &[0, 1]);
        queue.post(8, &[1]);
        assert!(readable(&queue));
        let mut signal = [0u8; 4];
        assert_eq!((&queue.watched).read(&mut signal).unwrap(), 1, "one byte for two records");
        (&queue.signal).write_all(&[1]).unwrap();
        let records = queue.take(0);
        assert_eq!(
            records,
            [
                &7u64.to_be_bytes()[..],
                &2u32.to_be_bytes(),
                &[0, 1],
                &8u64.to_be_bytes(),
                &1u32.to_be_bytes(),
                &[1]
            ]
            .concat()
        );
        assert!(!readable(&queue), "drained");
        assert!(queue.take(0).is_empty());
    }

    #[test]
    fn a_timed_take_waits_that_long_and_no_longer() {
        let queue = Queue::new().unwrap();
        let started = Instant::now();
        assert!(queue.take(50).is_empty());
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(50) && waited < Duration::from_secs(2),
            "{waited:?}"
        );
    }

    #[test]
    fn close_wakes_a_take_that_waits_forever() {
        let queue = Arc::new(Queue::new().unwrap());
        let waiter = {
            let queue = Arc::clone(&queue);
            std::thread::spawn(move || queue.take(-1))
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!waiter.is_finished());
        queue.close();
        assert!(waiter.join().unwrap().is_empty());
        queue.post(1, &[0]);
        assert!(queue.take(0).is_empty(), "a closed queue takes no records");
    }
}
