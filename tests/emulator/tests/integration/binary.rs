//! The `euid-emulator` binary: the startup line, and exit on stdin EOF or SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn spawn(args: &[&str]) -> (std::process::Child, Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_euid-emulator"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    (child, serde_json::from_str(&line).unwrap())
}

fn wait(child: &mut std::process::Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "the emulator did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn it_prints_one_json_line_serves_and_exits_0_when_stdin_closes() {
    let secret = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo=";
    let (mut child, line) = spawn(&["--api-key", "key-1", "--client-secret", secret]);
    let object = line.as_object().unwrap();
    assert_eq!(object.len(), 3);
    assert_eq!(line["api_key"], "key-1");
    assert_eq!(line["client_secret"], secret);
    let url = line["url"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:"));
    let reply =
        crate::support::send(url, hyper::Method::GET, "/ops/healthcheck", &[], "").await.unwrap();
    assert_eq!(reply.status.as_u16(), 200);
    drop(child.stdin.take());
    assert!(wait(&mut child).success());
    let mut rest = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut rest).unwrap();
    assert_eq!(rest, "", "only one line on stdout");
}

#[tokio::test]
async fn date_header_adds_a_date_header() {
    for (args, dated) in [(&[][..], false), (&["--date-header"][..], true)] {
        let (mut child, line) = spawn(args);
        let url = line["url"].as_str().unwrap();
        let reply = crate::support::send(url, hyper::Method::GET, "/ops/healthcheck", &[], "")
            .await
            .unwrap();
        assert_eq!(reply.header("date").is_some(), dated, "{args:?}");
        drop(child.stdin.take());
        assert!(wait(&mut child).success());
    }
}

#[test]
fn random_credentials_are_printed_when_none_are_given() {
    let (mut child, line) = spawn(&[]);
    let secret = line["client_secret"].as_str().unwrap();
    assert!(euid_core::SecretKey::from_base64(secret, "secret").is_ok());
    assert!(!line["api_key"].as_str().unwrap().is_empty());
    drop(child.stdin.take());
    assert!(wait(&mut child).success());
}

#[test]
fn with_ignore_stdin_it_keeps_serving_until_sigterm() {
    let (mut child, line) = spawn(&["--ignore-stdin", "--port", "0"]);
    drop(child.stdin.take());
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "it exited on stdin EOF");
    let address = line["url"].as_str().unwrap().trim_start_matches("http://").to_owned();
    assert!(std::net::TcpStream::connect(&address).is_ok());
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    assert!(wait(&mut child).success());
}

#[test]
fn bad_settings_fail_with_a_message_and_no_startup_line() {
    let output = Command::new(env!("CARGO_BIN_EXE_euid-emulator"))
        .args(["--client-secret", "short"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("client secret"));
}
