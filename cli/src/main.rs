//! `euid`: a publisher engineer's EUID tool. Hash emails, generate, refresh and validate tokens
//! against an operator, run the local emulator, and walk through the publisher flow (`demo`).
//!
//! Credentials come from flags or from `EUID_BASE_URL`, `EUID_API_KEY` and
//! `EUID_CLIENT_SECRET`. Exit codes: 0 success, 1 error, 3 the operator answered without a
//! token (opt-out, insufficient consent, expired or invalid refresh token).

mod commands;
mod demo;
mod display;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// The EUID publisher tool.
#[derive(Debug, Parser)]
#[command(name = "euid", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Normalize and hash emails (SHA-256, base64): the `email_hash` values.
    HashEmail {
        /// The addresses.
        #[arg(required = true)]
        emails: Vec<String>,
        /// Also print the normalized address.
        #[arg(long)]
        normalized: bool,
    },
    /// Validate and hash phone numbers (`+` and 10 to 15 digits).
    HashPhone {
        /// The numbers.
        #[arg(required = true)]
        phones: Vec<String>,
    },
    /// Generate an identity (POST /v2/token/generate) and print it as JSON.
    Generate {
        #[command(flatten)]
        operator: Operator,
        #[command(flatten)]
        dii: DiiArgs,
        /// An IAB TCF v2 consent string.
        #[arg(long)]
        tcf_consent_string: Option<String>,
    },
    /// Refresh an identity (POST /v2/token/refresh) and print the new one as JSON.
    Refresh {
        #[command(flatten)]
        operator: Operator,
        /// A file holding the identity JSON (`-` for standard input).
        #[arg(long)]
        identity_file: String,
    },
    /// Check whether an advertising token was generated from an identifier.
    Validate {
        #[command(flatten)]
        operator: Operator,
        #[command(flatten)]
        dii: DiiArgs,
        /// The advertising token.
        #[arg(long)]
        token: String,
    },
    /// Run the local operator emulator (prints its URL and credentials as one JSON line).
    Emulator {
        /// TCP port on 127.0.0.1 (0 = a free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The API key to accept (default: random).
        #[arg(long)]
        api_key: Option<String>,
        /// The client secret, base64 of 32 bytes (default: random).
        #[arg(long)]
        client_secret: Option<String>,
    },
    /// Walk through the publisher flow, step by step; against the built-in emulator unless
    /// a base URL and credentials are given.
    Demo {
        /// The operator's base URL; without it the demo starts the emulator in-process.
        #[arg(long, env = "EUID_BASE_URL", requires_all = ["api_key", "client_secret"])]
        base_url: Option<String>,
        /// The API key (with --base-url).
        #[arg(long, env = "EUID_API_KEY", hide_env_values = true)]
        api_key: Option<String>,
        /// The client secret (with --base-url).
        #[arg(long, env = "EUID_CLIENT_SECRET", hide_env_values = true)]
        client_secret: Option<String>,
    },
}

/// Where the operator is and how to authenticate.
#[derive(Debug, Args)]
struct Operator {
    /// The operator's base URL, e.g. https://integ.euid.eu.
    #[arg(long, env = "EUID_BASE_URL")]
    base_url: String,
    /// The API key from the EUID portal.
    #[arg(long, env = "EUID_API_KEY", hide_env_values = true)]
    api_key: String,
    /// The client secret from the EUID portal.
    #[arg(long, env = "EUID_CLIENT_SECRET", hide_env_values = true)]
    client_secret: String,
}

/// Exactly one identifier.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
struct DiiArgs {
    /// An email address (hashed here; only the hash is sent).
    #[arg(long)]
    email: Option<String>,
    /// A phone number, `+` and 10 to 15 digits (hashed here).
    #[arg(long)]
    phone: Option<String>,
    /// A SHA-256 email hash, base64 or hex.
    #[arg(long)]
    email_hash: Option<String>,
    /// A SHA-256 phone hash, base64 or hex.
    #[arg(long)]
    phone_hash: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::HashEmail { emails, normalized } => commands::hash_email(&emails, normalized),
        Command::HashPhone { phones } => commands::hash_phone(&phones),
        Command::Generate { operator, dii, tcf_consent_string } => {
            commands::generate(&operator, &dii, tcf_consent_string.as_deref())
        }
        Command::Refresh { operator, identity_file } => {
            commands::refresh(&operator, &identity_file)
        }
        Command::Validate { operator, dii, token } => commands::validate(&operator, &dii, &token),
        Command::Emulator { port, api_key, client_secret } => {
            commands::emulator(port, api_key, client_secret)
        }
        Command::Demo { base_url, api_key, client_secret } => {
            demo::run(base_url.zip(api_key).zip(client_secret).map(|((url, key), secret)| {
                demo::Target { base_url: url, api_key: key, client_secret: secret }
            }))
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("euid: {err}");
            ExitCode::FAILURE
        }
    }
}
