//! Certificates: the platform's store by default, a private CA only when given, and no way
//! to turn verification off.

use euid_core::{Error, ErrorKind};
use euid_emulator::{Emulator, EmulatorConfig};

use crate::pki::{pki, tls_emulator, url};
use crate::{builder, generate_and_refresh, generate_error};

#[tokio::test]
async fn a_private_ca_is_refused_until_it_is_given() {
    let emulator = tls_emulator();
    for host in ["localhost", "127.0.0.1"] {
        let client = builder(&emulator, url(&emulator, host)).build().unwrap();
        let err = generate_error(&client).await;
        assert_eq!(err.kind(), ErrorKind::UntrustedCertificate, "{err}");
        assert!(!err.is_retryable());
        let text = err.to_string();
        assert!(text.contains("does not trust") && text.contains(host), "{text}");
    }
    assert_eq!(emulator.counters().generate.requests, 0);

    let client = builder(&emulator, url(&emulator, "localhost"))
        .ca_certificates_pem(&pki().ca_pem)
        .build()
        .unwrap();
    generate_and_refresh(&client).await;
    assert_eq!(emulator.counters().generate.requests, 1);
}

#[tokio::test]
async fn host_roots_are_trusted_too_and_unusable_ones_skipped() {
    let emulator = tls_emulator();
    let client = builder(&emulator, url(&emulator, "localhost"))
        .host_root_certificates(vec![b"not a certificate".to_vec(), pki().ca_der.clone()])
        .build()
        .unwrap();
    generate_and_refresh(&client).await;
}

#[tokio::test]
async fn a_certificate_for_another_name_is_refused() {
    let emulator = Emulator::start_tls(EmulatorConfig::default(), &pki().wrong_name).unwrap();
    let client = builder(&emulator, url(&emulator, "localhost"))
        .ca_certificates_pem(&pki().ca_pem)
        .build()
        .unwrap();
    let err = generate_error(&client).await;
    assert_eq!(err.kind(), ErrorKind::UntrustedCertificate, "{err}");
    assert!(err.to_string().contains("not valid for this host name"), "{err}");
}

#[test]
fn a_pem_without_a_usable_certificate_is_a_config_error() {
    let emulator = tls_emulator();
    for pem in ["", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"] {
        let err = builder(&emulator, url(&emulator, "localhost"))
            .ca_certificates_pem(pem)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
    }
}
