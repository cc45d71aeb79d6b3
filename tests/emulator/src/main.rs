//! `euid-emulator`: the EUID operator emulator as a process, for the Python and Kotlin test
//! suites and for load tests.
//!
//! It prints exactly one JSON line, `{"url":…,"api_key":…,"client_secret":…}` (the URL is
//! `https://127.0.0.1:<port>` with `--tls-cert` and `--tls-key`), then serves
//! until its standard input reaches end of file (unless `--ignore-stdin`) or it receives
//! SIGTERM or SIGINT, and exits 0.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use euid_emulator::{Emulator, EmulatorConfig, TlsIdentity};

/// A local emulator of the EUID operator (generate, refresh, validate + control API).
#[derive(Debug, Parser)]
#[command(name = "euid-emulator", version)]
struct Args {
    /// TCP port on 127.0.0.1 (0 = a free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The API key to accept (default: random).
    #[arg(long)]
    api_key: Option<String>,
    /// The client secret, base64 of 32 bytes (default: random).
    #[arg(long)]
    client_secret: Option<String>,
    /// Advertising token lifetime, ms (default: 3 days).
    #[arg(long, default_value_t = euid_emulator::DEFAULT_IDENTITY_LIFETIME_MS)]
    identity_lifetime_ms: i64,
    /// Refresh token lifetime, ms (default: 30 days).
    #[arg(long, default_value_t = euid_emulator::DEFAULT_REFRESH_LIFETIME_MS)]
    refresh_lifetime_ms: i64,
    /// Delay from issue to refresh_from, ms (default: 1 hour).
    #[arg(long, default_value_t = euid_emulator::DEFAULT_REFRESH_FROM_MS)]
    refresh_from_ms: i64,
    /// Request timestamp drift threshold in minutes, applied as the operator's Java code does
    /// (default: 1, i.e. about ±2 minutes).
    #[arg(long, default_value_t = euid_emulator::DEFAULT_DRIFT_THRESHOLD_MINUTES)]
    drift_threshold_minutes: i64,
    /// The TCF vendor whose consent is checked (default: 21).
    #[arg(long, default_value_t = euid_emulator::DEFAULT_TCF_VENDOR_ID)]
    tcf_vendor_id: u16,
    /// Add a `Date` header to every answer, as a load balancer might (the operator sends none).
    #[arg(long)]
    date_header: bool,
    /// The API key's site has no keyset: validate answers "Unauthorised to validate token".
    #[arg(long)]
    no_keyset: bool,
    /// Keep serving when standard input closes (stop with SIGTERM/SIGINT only).
    #[arg(long)]
    ignore_stdin: bool,
    /// Serve HTTPS with this certificate chain (PEM, leaf first); needs `--tls-key`.
    #[arg(long, requires = "tls_key", value_name = "PEM_FILE")]
    tls_cert: Option<std::path::PathBuf>,
    /// The private key of `--tls-cert` (PEM).
    #[arg(long, requires = "tls_cert", value_name = "PEM_FILE")]
    tls_key: Option<std::path::PathBuf>,
}

/// The TLS identity of `--tls-cert` and `--tls-key`, if given.
fn tls_identity(args: &Args) -> Result<Option<TlsIdentity>, String> {
    let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) else {
        return Ok(None);
    };
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))
    };
    Ok(Some(TlsIdentity { cert_chain_pem: read(cert)?, key_pem: read(key)? }))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let tls = match tls_identity(&args) {
        Ok(tls) => tls,
        Err(err) => {
            eprintln!("euid-emulator: {err}");
            return ExitCode::FAILURE;
        }
    };
    let config = EmulatorConfig {
        port: args.port,
        api_key: args.api_key,
        client_secret: args.client_secret,
        identity_lifetime_ms: args.identity_lifetime_ms,
        refresh_lifetime_ms: args.refresh_lifetime_ms,
        refresh_from_ms: args.refresh_from_ms,
        drift_threshold_minutes: args.drift_threshold_minutes,
        tcf_vendor_id: args.tcf_vendor_id,
        date_header: args.date_header,
        no_keyset: args.no_keyset,
    };
    let started = match tls {
        None => Emulator::start(config),
        Some(identity) => Emulator::start_tls(config, &identity),
    };
    let emulator = match started {
        Ok(emulator) => emulator,
        Err(err) => {
            eprintln!("euid-emulator: {err}");
            return ExitCode::FAILURE;
        }
    };
    let line = serde_json::json!({
        "url": emulator.url(),
        "api_key": emulator.api_key(),
        "client_secret": emulator.client_secret(),
    });
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{line}").and_then(|()| stdout.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    drop(stdout);
    if let Err(err) = euid_emulator::wait_for_stop(args.ignore_stdin) {
        eprintln!("euid-emulator: {err}");
        return ExitCode::FAILURE;
    }
    drop(emulator);
    ExitCode::SUCCESS
}
