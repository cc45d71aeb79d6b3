//! A private certificate authority made for the test run, and the TLS emulator it signs.

use std::sync::OnceLock;

use euid_emulator::{Emulator, EmulatorConfig, TlsIdentity};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};

/// The names the emulator's certificate is valid for: the loopback ones, and the ones only the
/// test proxy resolves.
pub const NAMES: [&str; 4] = ["127.0.0.1", "localhost", "operator.euid.test", "blocked.euid.test"];

pub struct Pki {
    /// The CA certificate, PEM.
    pub ca_pem: String,
    /// The CA certificate, DER.
    pub ca_der: Vec<u8>,
    /// The emulator's certificate chain and key, signed by the CA.
    pub server: TlsIdentity,
    /// Signed by the CA too, but for `elsewhere.example` only.
    pub wrong_name: TlsIdentity,
}

fn leaf(names: &[&str], ca: &CertifiedIssuer<'_, KeyPair>) -> TlsIdentity {
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(names.iter().map(|name| name.to_string()).collect::<Vec<_>>())
            .unwrap();
    params.distinguished_name.push(DnType::CommonName, names[0]);
    let cert = params.signed_by(&key, ca).unwrap();
    TlsIdentity { cert_chain_pem: cert.pem(), key_pem: key.serialize_pem() }
}

/// The run's CA and server certificate (made once).
pub fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name.push(DnType::CommonName, "euid-sdk test CA");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        Pki {
            ca_pem: ca.pem(),
            ca_der: ca.der().to_vec(),
            server: leaf(&NAMES, &ca),
            wrong_name: leaf(&["elsewhere.example"], &ca),
        }
    })
}

/// An emulator serving HTTPS with the CA-signed certificate.
pub fn tls_emulator() -> Emulator {
    Emulator::start_tls(EmulatorConfig::default(), &pki().server).unwrap()
}

/// `https://<host>:<port>` of `emulator`.
pub fn url(emulator: &Emulator, host: &str) -> String {
    format!("https://{host}:{}", emulator.address().port())
}
