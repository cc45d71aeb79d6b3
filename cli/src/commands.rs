//! The one-shot commands: hash, generate, refresh, validate, emulator.

use std::io::Read;
use std::process::ExitCode;

use euid_core::blocking::PublisherClient;
use euid_core::{Dii, Environment, GenerateOutcome, GenerateRequest, Identity, RefreshOutcome};
use euid_emulator::{Emulator, EmulatorConfig};

use crate::{DiiArgs, Operator};

/// The exit code when the operator answered without a token.
const NO_TOKEN: u8 = 3;

type CliResult = Result<ExitCode, Box<dyn std::error::Error>>;

pub fn hash_email(emails: &[String], normalized: bool) -> CliResult {
    for email in emails {
        let hash = euid_core::hash_email(email)?;
        if normalized {
            println!("{}\t{hash}", euid_core::normalize_email(email)?);
        } else {
            println!("{hash}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn hash_phone(phones: &[String]) -> CliResult {
    for phone in phones {
        println!("{}", euid_core::hash_phone(phone)?);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn client(operator: &Operator) -> Result<PublisherClient, euid_core::Error> {
    let environment = Environment::Custom(operator.base_url.clone());
    PublisherClient::builder(environment, &operator.api_key, &operator.client_secret)
        .build()
        .map(PublisherClient::from_async)
}

fn dii(args: &DiiArgs) -> Result<Dii, euid_core::InputError> {
    match (&args.email, &args.phone, &args.email_hash, &args.phone_hash) {
        (Some(email), ..) => Dii::email(email),
        (_, Some(phone), ..) => Dii::phone(phone),
        (_, _, Some(hash), _) => Dii::email_hash(hash),
        (_, _, _, Some(hash)) => Dii::phone_hash(hash),
        // clap requires exactly one.
        _ => Err(euid_core::InputError::Argument { field: "identifier", reason: "missing" }),
    }
}

fn no_token(status: &str) -> CliResult {
    println!("{}", serde_json::json!({ "status": status }));
    Ok(ExitCode::from(NO_TOKEN))
}

pub fn generate(operator: &Operator, args: &DiiArgs, consent: Option<&str>) -> CliResult {
    let mut request = GenerateRequest::new(dii(args)?);
    if let Some(consent) = consent {
        request = request.with_tcf_consent_string(consent)?;
    }
    match client(operator)?.generate_token(&request)? {
        GenerateOutcome::Success(identity) => {
            println!("{}", identity.to_json());
            Ok(ExitCode::SUCCESS)
        }
        GenerateOutcome::OptOut => no_token("optout"),
        GenerateOutcome::InsufficientConsent => no_token("insufficient_user_consent"),
    }
}

pub fn refresh(operator: &Operator, identity_file: &str) -> CliResult {
    let json = if identity_file == "-" {
        let mut json = String::new();
        std::io::stdin().read_to_string(&mut json)?;
        json
    } else {
        std::fs::read_to_string(identity_file)?
    };
    let identity = Identity::from_json(json.trim())?;
    match client(operator)?.refresh_token(&identity)? {
        RefreshOutcome::Refreshed(identity) => {
            println!("{}", identity.to_json());
            Ok(ExitCode::SUCCESS)
        }
        RefreshOutcome::OptOut => no_token("optout"),
        RefreshOutcome::ExpiredToken => no_token("expired_token"),
        RefreshOutcome::InvalidToken => no_token("invalid_token"),
    }
}

pub fn validate(operator: &Operator, args: &DiiArgs, token: &str) -> CliResult {
    println!("{}", client(operator)?.validate_token(token, &dii(args)?)?);
    Ok(ExitCode::SUCCESS)
}

pub fn emulator(port: u16, api_key: Option<String>, client_secret: Option<String>) -> CliResult {
    let config = EmulatorConfig { port, api_key, client_secret, ..EmulatorConfig::default() };
    let emulator = Emulator::start(config)?;
    println!(
        "{}",
        serde_json::json!({
            "url": emulator.url(),
            "api_key": emulator.api_key(),
            "client_secret": emulator.client_secret(),
        })
    );
    eprintln!("euid: serving on {}; press Ctrl-C to stop", emulator.url());
    euid_emulator::wait_for_stop(true)?;
    Ok(ExitCode::SUCCESS)
}
