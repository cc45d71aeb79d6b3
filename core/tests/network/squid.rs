//! The test proxy: one squid for the whole run (`tests/proxy/squid.sh`), its access log read
//! back to see what it did.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub const USER: &str = "euid";
pub const PASSWORD: &str = "proxy-pass-7f3a";

pub struct Squid {
    /// Needs no credentials.
    pub open_port: u16,
    /// Needs `USER:PASSWORD`.
    pub auth_port: u16,
    log: PathBuf,
    // Closing its standard input (when the test process ends) stops squid.
    _process: Mutex<(Child, ChildStdin)>,
}

impl Squid {
    /// `http://127.0.0.1:<open port>`.
    pub fn open_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.open_port)
    }

    /// `http://<user>:<password>@127.0.0.1:<auth port>`.
    pub fn auth_url(&self, user: &str, password: &str) -> String {
        format!("http://{user}:{password}@127.0.0.1:{}", self.auth_port)
    }

    /// The access log's lines that contain every one of `needles`, waiting up to 5 s for
    /// `count` of them (squid logs a tunnel when it closes).
    pub fn lines_with(&self, needles: &[&str], count: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            let lines: Vec<String> = text
                .lines()
                .filter(|line| needles.iter().all(|needle| line.contains(needle)))
                .map(str::to_owned)
                .collect();
            if lines.len() >= count || Instant::now() > deadline {
                return lines;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The run's squid, started on first use.
pub fn squid() -> &'static Squid {
    static SQUID: OnceLock<Squid> = OnceLock::new();
    SQUID.get_or_init(start)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start() -> Squid {
    let (open_port, auth_port) = (free_port(), free_port());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/proxy/squid.sh");
    let mut child = Command::new(script)
        .args([open_port.to_string(), auth_port.to_string(), USER.into(), PASSWORD.into()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("cannot run {script}: {err}"));
    let mut ready = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut ready).unwrap();
    let Some(log) = ready.trim().strip_prefix("ready ") else {
        panic!("squid did not start (see its error above)");
    };
    let stdin = child.stdin.take().unwrap();
    Squid { open_port, auth_port, log: PathBuf::from(log), _process: Mutex::new((child, stdin)) }
}
