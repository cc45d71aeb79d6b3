//! Helpers: clients for an emulator, and a recording HTTP server with canned answers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use euid_core::{ClientBuilder, Dii, Environment, GenerateRequest, PublisherClient, RetryPolicy};
use euid_emulator::{Emulator, EmulatorConfig};

pub const SECRET: &str = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo=";
pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 24 * HOUR_MS;

pub fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default()).unwrap()
}

/// A builder for `emulator` with fast retries, so retry tests take milliseconds.
pub fn builder(emulator: &Emulator) -> ClientBuilder {
    PublisherClient::builder(
        Environment::Custom(emulator.url().to_owned()),
        emulator.api_key(),
        &emulator.client_secret(),
    )
    .retry_policy(RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
    })
}

pub fn client(emulator: &Emulator) -> PublisherClient {
    builder(emulator).build().unwrap()
}

pub fn email(address: &str) -> GenerateRequest {
    GenerateRequest::new(Dii::email(address).unwrap())
}

/// One request as the recording server read it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub request_line: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A server on 127.0.0.1 that answers every request with one canned response and records
/// what it received.
pub struct Recorder {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Recorded>>>,
    _thread: JoinHandle<()>,
}

impl Recorder {
    /// Answers `status` with `content_type` and `body`, plus `extra_headers`.
    pub fn start(
        status: u16,
        content_type: &str,
        body: &[u8],
        extra_headers: &[(&str, &str)],
    ) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let mut response = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
            body.len()
        )
        .into_bytes();
        for (name, value) in extra_headers {
            response.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        response.extend_from_slice(b"\r\n");
        response.extend_from_slice(body);
        let recorded = Arc::clone(&requests);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut request_line = String::new();
                    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                        break;
                    }
                    let mut headers = Vec::new();
                    loop {
                        let mut line = String::new();
                        reader.read_line(&mut line).unwrap();
                        let line = line.trim_end();
                        if line.is_empty() {
                            break;
                        }
                        let (name, value) = line.split_once(':').unwrap();
                        headers.push((name.trim().to_owned(), value.trim().to_owned()));
                    }
                    let length = headers
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                        .map_or(0, |(_, v)| v.parse().unwrap());
                    let mut body = vec![0; length];
                    reader.read_exact(&mut body).unwrap();
                    recorded.lock().unwrap().push(Recorded {
                        request_line: request_line.trim_end().to_owned(),
                        headers,
                        body,
                    });
                    if stream.write_all(&response).is_err() {
                        break;
                    }
                }
            }
        });
        Recorder { url, requests, _thread: thread }
    }

    pub fn client(&self, base_suffix: &str) -> PublisherClient {
        PublisherClient::builder(
            Environment::Custom(format!("{}{base_suffix}", self.url)),
            "recorder-key",
            SECRET,
        )
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
    }

    pub fn recorded(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}
