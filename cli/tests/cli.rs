//! The `euid` binary, run as a user would.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

use euid_emulator::{Emulator, EmulatorConfig};

fn euid(args: &[&str], emulator: Option<&Emulator>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_euid"));
    command.args(args).env_remove("EUID_BASE_URL");
    if let Some(emulator) = emulator {
        command
            .env("EUID_BASE_URL", emulator.url())
            .env("EUID_API_KEY", emulator.api_key())
            .env("EUID_CLIENT_SECRET", emulator.client_secret());
    }
    command.output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn the_demo_walks_the_whole_flow_and_succeeds() {
    let output = euid(&["demo"], None);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    for step in ["1-d", "1-e", "1-f", "2-a", "3-a", "3-b", "opt-out", "4-a..4-b"] {
        assert!(text.contains(step), "missing step {step}:\n{text}");
    }
    assert!(text.contains("All 10 checks behaved as expected."), "{text}");
    // The raw email is shown, never sent; no full token is printed.
    assert!(text.contains("(388 chars)"));
}

#[test]
fn hash_email_prints_the_operator_hash() {
    let output = euid(&["hash-email", "--normalized", "  USER@example.com "], None);
    assert!(output.status.success());
    assert_eq!(stdout(&output), "user@example.com\ttMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=\n");
    let output = euid(&["hash-email", "not an email"], None);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid email address"));
}

#[test]
fn generate_then_refresh_from_a_file_and_opt_out_exit_codes() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let output = euid(&["generate", "--email", "user@example.com"], Some(&emulator));
    assert!(output.status.success());
    let identity = stdout(&output);
    assert!(identity.contains("\"refresh_response_key\""));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("identity.json");
    std::fs::write(&file, &identity).unwrap();
    let output = euid(&["refresh", "--identity-file", file.to_str().unwrap()], Some(&emulator));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_ne!(stdout(&output), identity);

    let output = euid(&["generate", "--email", "optout@example.com"], Some(&emulator));
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(stdout(&output), "{\"status\":\"optout\"}\n");
    assert_eq!(emulator.counters().refresh.requests, 1);
}

#[test]
fn missing_credentials_are_a_usage_error() {
    let output = euid(&["generate", "--email", "user@example.com"], None);
    assert_eq!(output.status.code(), Some(2));
}
