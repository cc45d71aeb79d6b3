//! The socket pair that wakes a foreign event loop: one byte written to `signal` makes
//! `watched` readable.
//!
//! On Unix it is a Unix socket pair, and the event loop watches the file descriptor. Windows has
//! no Unix socket pair in std and an event loop there selects on sockets only (Python's
//! `SelectorEventLoop` calls `select()`), so it is a loopback TCP connection, and the loop watches
//! its `SOCKET` handle: what Python's own `socket.socketpair()` makes on Windows.

use std::io;

#[cfg(unix)]
pub(super) use std::os::unix::net::UnixStream as Stream;

#[cfg(windows)]
pub(super) use std::net::TcpStream as Stream;

/// The two connected ends, both non-blocking: (signal, watched).
pub(super) fn pair() -> io::Result<(Stream, Stream)> {
    let (signal, watched) = connected()?;
    signal.set_nonblocking(true)?;
    watched.set_nonblocking(true)?;
    Ok((signal, watched))
}

#[cfg(unix)]
fn connected() -> io::Result<(Stream, Stream)> {
    Stream::pair()
}

#[cfg(windows)]
fn connected() -> io::Result<(Stream, Stream)> {
    use std::net::{Ipv4Addr, TcpListener};

    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let signal = Stream::connect(listener.local_addr()?)?;
    let (watched, peer) = listener.accept()?;
    // Another local process may connect to the listener first: only our own connection counts.
    if peer != signal.local_addr()? || watched.local_addr()? != signal.peer_addr()? {
        return Err(io::Error::other("the signal socket was connected by another process"));
    }
    // One byte, sent at once.
    signal.set_nodelay(true)?;
    Ok((signal, watched))
}

/// What the foreign event loop watches: the file descriptor on Unix, the `SOCKET` handle on
/// Windows; -1 if a handle does not fit the C `int` of `euid_queue_fd` (Windows gives small
/// handle values; a larger one is not expected).
pub(super) fn handle(watched: &Stream) -> i32 {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        watched.as_raw_fd()
    }
    #[cfg(windows)]
    {
        use std::os::windows::io::AsRawSocket;
        i32::try_from(watched.as_raw_socket()).unwrap_or(-1)
    }
}

/// Whether `handle` (as [`handle`] gives it) becomes readable within `timeout_ms`: `poll(2)` on
/// Unix, `select()` on Windows, as Python's selector event loops do.
#[cfg(test)]
pub(crate) fn readable(handle: i32, timeout_ms: i32) -> bool {
    #[cfg(unix)]
    {
        let mut poll = libc::pollfd { fd: handle, events: libc::POLLIN, revents: 0 };
        // SAFETY: one valid pollfd.
        let ready = unsafe { libc::poll(&mut poll, 1, timeout_ms) };
        ready == 1 && poll.revents & libc::POLLIN != 0
    }
    #[cfg(windows)]
    {
        use windows_sys::Win32::Networking::WinSock::{select, FD_SET, SOCKET, TIMEVAL};

        let Ok(socket) = SOCKET::try_from(handle) else { return false };
        let mut set = FD_SET { fd_count: 1, fd_array: [0; 64] };
        set.fd_array[0] = socket;
        let timeout = TIMEVAL { tv_sec: timeout_ms / 1000, tv_usec: (timeout_ms % 1000) * 1000 };
        // SAFETY: one valid fd_set and timeout; the other sets may be null.
        let ready =
            unsafe { select(0, &mut set, std::ptr::null_mut(), std::ptr::null_mut(), &timeout) };
        ready == 1
    }
}
