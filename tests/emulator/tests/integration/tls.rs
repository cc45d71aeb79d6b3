//! HTTPS: a certificate and key that cannot be used stop the start, with a message that names
//! what is wrong (the HTTPS handshake itself is tested by the clients, with a private CA).

use std::process::Command;

use euid_emulator::{Emulator, EmulatorConfig, EmulatorError, TlsIdentity};

#[test]
fn unusable_pem_is_a_config_error() {
    let cert = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let cases = [("", "", "has no certificate"), (cert, "", "the TLS key PEM")];
    for (cert_chain_pem, key_pem, expected) in cases {
        let identity =
            TlsIdentity { cert_chain_pem: cert_chain_pem.into(), key_pem: key_pem.into() };
        let err = Emulator::start_tls(EmulatorConfig::default(), &identity).unwrap_err();
        assert!(matches!(&err, EmulatorError::Config(text) if text.contains(expected)), "{err}");
    }
    let identity = TlsIdentity { cert_chain_pem: String::new(), key_pem: "SECRET".into() };
    assert!(!format!("{identity:?}").contains("SECRET"));
}

#[test]
fn the_binary_needs_both_files() {
    let output = Command::new(env!("CARGO_BIN_EXE_euid-emulator"))
        .args(["--tls-cert", "/nonexistent/cert.pem"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--tls-key"));
    let output = Command::new(env!("CARGO_BIN_EXE_euid-emulator"))
        .args(["--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read /nonexistent/cert.pem"));
}
