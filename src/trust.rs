//! Whom a search trusts over HTTPS: the operating system's certificate store, as curl and
//! browsers use it (on Linux the system bundle, with `SSL_CERT_FILE` and `SSL_CERT_DIR`
//! honoured), plus an optional PEM bundle added on top (an institution's CA, a
//! TLS-inspecting proxy). And what a failed handshake is called, so that a certificate
//! problem reads as one and not as a pulled cable.

use crate::error::{Error, Result, Status};
use crate::log::{log_at, Level};
use once_cell::sync::Lazy;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{CertificateError, RootCertStore};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A bundle larger than this is not a CA bundle (the whole Mozilla store is ~220 KB).
const MAX_BUNDLE_BYTES: u64 = 16 << 20;

/// Certificates read and checked from a PEM file when it was set.
#[derive(Clone, Debug)]
pub struct CaBundle {
    path: PathBuf,
    certificates: Vec<CertificateDer<'static>>,
    /// Tells bundles apart when the engine keeps one HTTP client per trust.
    fingerprint: u64,
}

impl PartialEq for CaBundle {
    fn eq(&self, other: &CaBundle) -> bool {
        self.fingerprint == other.fingerprint && self.certificates == other.certificates
    }
}

impl CaBundle {
    /// Reads `path` now: a missing, unreadable or empty file, or one holding no PEM
    /// certificate (a DER file, say), is refused here rather than at the first handshake.
    /// `argument` names the setting in messages.
    pub fn load(argument: &str, path: &Path) -> Result<CaBundle> {
        let shown = path.display();
        let size = std::fs::metadata(path)
            .map_err(|e| Error::invalid(argument, format!("cannot read '{shown}': {e}")))?
            .len();
        if size > MAX_BUNDLE_BYTES {
            return Err(Error::invalid(
                argument,
                format!("'{shown}' is {size} bytes, too large for a CA bundle"),
            ));
        }
        let bytes = std::fs::read(path)
            .map_err(|e| Error::invalid(argument, format!("cannot read '{shown}': {e}")))?;
        let certificates: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| {
                Error::invalid(argument, format!("'{shown}' is not a valid PEM file ({e})"))
            })?;
        if certificates.is_empty() {
            let hint = if bytes.first() == Some(&0x30) {
                " (it looks like DER: convert it with `openssl x509 -inform der -in FILE -out FILE.pem`)"
            } else {
                ""
            };
            return Err(Error::invalid(
                argument,
                format!("'{shown}' holds no PEM certificate (-----BEGIN CERTIFICATE-----){hint}"),
            ));
        }
        let mut store = RootCertStore::empty();
        let (_, unusable) = store.add_parsable_certificates(certificates.iter().cloned());
        if unusable > 0 {
            return Err(Error::invalid(
                argument,
                format!("'{shown}': {unusable} of its certificates cannot be parsed"),
            ));
        }
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        certificates.hash(&mut hasher);
        Ok(CaBundle {
            path: path.to_path_buf(),
            certificates,
            fingerprint: hasher.finish(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}

/// The system's roots, read once per process: reading and parsing the bundle takes
/// milliseconds, and curl, too, reads its environment at start.
static SYSTEM_ROOTS: Lazy<Arc<RootCertStore>> = Lazy::new(|| Arc::new(system_roots()));

fn system_roots() -> RootCertStore {
    let found = rustls_native_certs::load_native_certs();
    for e in &found.errors {
        log_at!(Level::Warn, "reading the system's certificate store: {e}");
    }
    let mut store = RootCertStore::empty();
    store.add_parsable_certificates(found.certs);
    if store.is_empty() {
        // A minimal container without ca-certificates: the Mozilla roots compiled in
        // keep the public API reachable. An explicit SSL_CERT_FILE is never second-guessed.
        let explicit = ["SSL_CERT_FILE", "SSL_CERT_DIR"]
            .iter()
            .any(|v| std::env::var_os(v).is_some());
        if !explicit {
            log_at!(
                Level::Warn,
                "the system has no certificate store; using the Mozilla roots built in"
            );
            store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
    }
    store
}

/// The TLS settings of one HTTP client: the system's roots, the bundle on top, and ALPN
/// offering HTTP/2 then HTTP/1.1.
pub fn client_config(bundle: Option<&CaBundle>) -> Result<rustls::ClientConfig> {
    let mut roots = (**SYSTEM_ROOTS).clone();
    if let Some(b) = bundle {
        roots.add_parsable_certificates(b.certificates.iter().cloned());
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::new(Status::AURORAX_ERR_INTERNAL, format!("TLS set-up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// What went wrong in a TLS handshake, in words, if `chain` (an error and its causes, the
/// errors io::Errors wrap included) holds a TLS failure; `None` for other failures.
pub fn handshake_failure(
    chain: &[&(dyn std::error::Error + 'static)],
    during_connect: bool,
) -> Option<String> {
    for error in chain {
        if let Some(tls) = error.downcast_ref::<rustls::Error>() {
            return Some(reason_of(tls));
        }
    }
    // tokio-rustls reports a peer that closed before the handshake ended as a plain EOF
    let eof = chain.iter().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::UnexpectedEof)
    });
    (during_connect && eof)
        .then(|| "the server closed the connection during the TLS handshake".to_string())
}

fn reason_of(error: &rustls::Error) -> String {
    use rustls::Error as E;
    match error {
        E::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => {
                "its certificate is signed by an unknown authority".into()
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "its certificate is for another name".into()
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "its certificate has expired".into()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "its certificate is not valid yet (is this machine's clock right?)".into()
            }
            CertificateError::Revoked => "its certificate has been revoked".into(),
            other => format!("its certificate is not trusted ({other:?})"),
        },
        E::InvalidMessage(_) | E::InappropriateMessage { .. } => {
            "the server did not answer in TLS (is it plain HTTP? then the URL starts with http://)"
                .into()
        }
        E::AlertReceived(alert) => format!("the server refused the TLS handshake ({alert:?})"),
        other => format!("the TLS handshake failed ({other})"),
    }
}

/// The whole message for a TLS failure with `host`: what happened and what fixes it.
pub fn tls_message(host: &str, reason: &str) -> String {
    format!(
        "TLS with {host} failed: {reason}. If your network uses its own certificate \
         authority (a campus CA, a TLS-inspecting proxy), add it with \
         aurorax_set_ca_bundle(\"ca.pem\") or AURORAX_CA_BUNDLE=ca.pem; the system's store \
         (SSL_CERT_FILE, SSL_CERT_DIR) is trusted too"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file holding `bytes`, removed when the returned handle drops.
    fn temp(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut file, bytes).unwrap();
        file
    }

    #[test]
    fn bundles_that_hold_no_certificate_are_refused_with_the_reason() {
        let missing = CaBundle::load("pem_path", Path::new("/nonexistent/ca.pem")).unwrap_err();
        assert_eq!(missing.status, Status::AURORAX_ERR_INVALID_ARGUMENT);
        assert!(
            missing.message.contains("cannot read"),
            "{}",
            missing.message
        );
        let empty = CaBundle::load("pem_path", temp(b"").path()).unwrap_err();
        assert!(
            empty.message.contains("no PEM certificate"),
            "{}",
            empty.message
        );
        let der = CaBundle::load("pem_path", temp(&[0x30, 0x82, 1, 2, 3]).path()).unwrap_err();
        assert!(der.message.contains("DER"), "{}", der.message);
        let garbage = CaBundle::load(
            "pem_path",
            temp(b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n").path(),
        )
        .unwrap_err();
        assert_eq!(garbage.status, Status::AURORAX_ERR_INVALID_ARGUMENT);
        let dir = CaBundle::load("pem_path", &std::env::temp_dir()).unwrap_err();
        assert_eq!(dir.status, Status::AURORAX_ERR_INVALID_ARGUMENT);
    }

    #[test]
    fn each_certificate_problem_has_its_own_words() {
        let words = |e: rustls::Error| reason_of(&e);
        assert!(words(rustls::Error::InvalidCertificate(
            CertificateError::UnknownIssuer
        ))
        .contains("unknown authority"));
        assert!(words(rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName
        ))
        .contains("another name"));
        assert!(
            words(rustls::Error::InvalidCertificate(CertificateError::Expired)).contains("expired")
        );
        let tls = rustls::Error::InvalidCertificate(CertificateError::Expired);
        let io = std::io::Error::other("wrapper");
        let chain: [&(dyn std::error::Error + 'static); 2] = [&io, &tls];
        assert!(handshake_failure(&chain, true).unwrap().contains("expired"));
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let chain: [&(dyn std::error::Error + 'static); 1] = [&refused];
        assert_eq!(handshake_failure(&chain, true), None);
    }
}
