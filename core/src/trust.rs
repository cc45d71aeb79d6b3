//! Which certificate authorities a client trusts: the platform's store (on Linux the system CA
//! bundle, `SSL_CERT_FILE` / `SSL_CERT_DIR` honored) always, plus the ones it is given.
//! Verification cannot be turned off.

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

use crate::error::{Error, Result};

/// The certificate authorities added to the platform's, checked.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct ExtraRoots {
    pub(crate) certificates: Vec<CertificateDer<'static>>,
}

impl std::fmt::Debug for ExtraRoots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} extra CA certificates", self.certificates.len())
    }
}

impl ExtraRoots {
    /// Adds every `CERTIFICATE` of a PEM text; fails if it has none or one is not a CA
    /// certificate rustls can use.
    pub(crate) fn add_pem(&mut self, pem: &str) -> Result<()> {
        let mut found = 0;
        for (index, item) in CertificateDer::pem_slice_iter(pem.as_bytes()).enumerate() {
            let der = item.map_err(|err| {
                Error::Config(format!(
                    "CA certificate {} of the PEM cannot be read: {err}",
                    index + 1
                ))
            })?;
            usable(&der).map_err(|err| {
                Error::Config(format!(
                    "CA certificate {} of the PEM is not a usable certificate: {err}",
                    index + 1
                ))
            })?;
            self.certificates.push(der);
            found += 1;
        }
        if found == 0 {
            return Err(Error::Config(
                "the CA certificates PEM has no `-----BEGIN CERTIFICATE-----` block".into(),
            ));
        }
        Ok(())
    }

    /// Adds the roots a host platform trusts (the JVM's trust store), DER-encoded, skipping with
    /// a warning the ones rustls cannot use: the host's store is not this client's to reject.
    pub(crate) fn add_host_roots(&mut self, roots: Vec<Vec<u8>>) {
        let total = roots.len();
        let before = self.certificates.len();
        for der in roots {
            let der = CertificateDer::from(der);
            if usable(&der).is_ok() {
                self.certificates.push(der);
            }
        }
        let skipped = total - (self.certificates.len() - before);
        if skipped > 0 {
            log::warn!("{skipped} of the host's {total} trusted CA certificates cannot be used and were skipped");
        }
    }
}

/// Whether rustls can use `der` as a trust anchor.
fn usable(der: &CertificateDer<'_>) -> std::result::Result<(), rustls::Error> {
    rustls::RootCertStore::empty().add(der.clone().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pem_without_certificates_is_refused() {
        let mut roots = ExtraRoots::default();
        assert!(matches!(roots.add_pem("nothing here"), Err(Error::Config(_))));
        let garbage = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let err = roots.add_pem(garbage).unwrap_err();
        assert!(err.to_string().contains("CA certificate 1 of the PEM"), "{err}");
        assert!(roots.certificates.is_empty());
    }

    #[test]
    fn unusable_host_roots_are_skipped() {
        let mut roots = ExtraRoots::default();
        roots.add_host_roots(vec![vec![0x30, 0x00], b"not der".to_vec()]);
        assert!(roots.certificates.is_empty());
    }
}
