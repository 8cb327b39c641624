//! HTTPS for the local server: a rustls acceptor offering HTTP/2 and HTTP/1.1 by ALPN, and
//! throwaway certificates for tests (a CA and server certificates made at run time, so no
//! private key is ever committed).

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_rustls::TlsAcceptor;

/// The PEM files `--tls-cert` and `--tls-key` name.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Which protocols the server offers by ALPN.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Alpn {
    #[default]
    Http2AndHttp1,
    Http1Only,
}

pub fn acceptor(files: &TlsFiles, alpn: Alpn) -> std::io::Result<TlsAcceptor> {
    let invalid = |what: &Path, e: &dyn std::fmt::Display| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{}: {e}", what.display()),
        )
    };
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
        .map_err(|e| invalid(&files.cert, &e))?
        .collect::<Result<_, _>>()
        .map_err(|e| invalid(&files.cert, &e))?;
    if chain.is_empty() {
        return Err(invalid(&files.cert, &"holds no PEM certificate"));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|e| invalid(&files.key, &e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(&files.cert, &e))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| invalid(&files.key, &e))?;
    config.alpn_protocols = match alpn {
        Alpn::Http2AndHttp1 => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        Alpn::Http1Only => vec![b"http/1.1".to_vec()],
    };
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// The files `write_test_certificates` makes, by name inside its directory.
pub struct TestCertificates {
    /// The throwaway CA a client is told to trust.
    pub ca: PathBuf,
    /// The same CA in DER, for tests of what a PEM bundle is not.
    pub ca_der: PathBuf,
    /// For localhost, 127.0.0.1 and ::1, signed by the CA.
    pub cert: PathBuf,
    pub key: PathBuf,
    /// Signed by the CA but expired (valid only during 2000-01-01).
    pub expired_cert: PathBuf,
    pub expired_key: PathBuf,
    /// Signed by the CA for `other.example`, not for this machine's names.
    pub other_name_cert: PathBuf,
    pub other_name_key: PathBuf,
    /// A CA nobody trusts, and a certificate for this machine's names signed by it.
    pub unknown_ca_cert: PathBuf,
    pub unknown_ca_key: PathBuf,
}

impl TestCertificates {
    pub fn files(&self) -> TlsFiles {
        TlsFiles {
            cert: self.cert.clone(),
            key: self.key.clone(),
        }
    }
}

/// `aurorax.test` (a name reserved for testing, RFC 6761) lets a test reach the server by a
/// DNS name that is not loopback, through a proxy that maps it here.
const LOCAL_NAMES: [&str; 4] = ["localhost", "127.0.0.1", "::1", "aurorax.test"];

/// Makes a fresh CA and server certificates signed by it in `dir` (created if missing).
pub fn write_test_certificates(dir: &Path) -> std::io::Result<TestCertificates> {
    std::fs::create_dir_all(dir)?;
    let fail = |e: rcgen::Error| std::io::Error::other(e.to_string());
    let (ca, ca_key) = make_ca("libaurorax test CA").map_err(fail)?;
    let (stray_ca, stray_ca_key) = make_ca("libaurorax untrusted CA").map_err(fail)?;
    let write = |name: &str, text: &str| -> std::io::Result<PathBuf> {
        let path = dir.join(name);
        std::fs::write(&path, text)?;
        Ok(path)
    };
    let leaf =
        |names: &[&str], expired: bool, issuer: &rcgen::Certificate, key: &rcgen::KeyPair| {
            let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
            let mut params = rcgen::CertificateParams::new(names)?;
            params
                .distinguished_name
                .push(rcgen::DnType::CommonName, "aurorax-testserver");
            if expired {
                params.not_before = rcgen::date_time_ymd(2000, 1, 1);
                params.not_after = rcgen::date_time_ymd(2000, 1, 2);
            }
            let leaf_key = rcgen::KeyPair::generate()?;
            let cert = params.signed_by(&leaf_key, issuer, key)?;
            Ok::<_, rcgen::Error>((cert.pem(), leaf_key.serialize_pem()))
        };
    let (good, good_key) = leaf(&LOCAL_NAMES, false, &ca, &ca_key).map_err(fail)?;
    let (old, old_key) = leaf(&LOCAL_NAMES, true, &ca, &ca_key).map_err(fail)?;
    let (other, other_key) = leaf(&["other.example"], false, &ca, &ca_key).map_err(fail)?;
    let (stray, stray_key) = leaf(&LOCAL_NAMES, false, &stray_ca, &stray_ca_key).map_err(fail)?;
    Ok(TestCertificates {
        ca: write("ca.pem", &ca.pem())?,
        ca_der: {
            let path = dir.join("ca.der");
            std::fs::write(&path, ca.der())?;
            path
        },
        cert: write("server.pem", &good)?,
        key: write("server.key", &good_key)?,
        expired_cert: write("expired.pem", &old)?,
        expired_key: write("expired.key", &old_key)?,
        other_name_cert: write("other-name.pem", &other)?,
        other_name_key: write("other-name.key", &other_key)?,
        unknown_ca_cert: write("unknown-ca.pem", &stray)?,
        unknown_ca_key: write("unknown-ca.key", &stray_key)?,
    })
}

fn make_ca(name: &str) -> Result<(rcgen::Certificate, rcgen::KeyPair), rcgen::Error> {
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new())?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::CrlSign,
    ];
    let key = rcgen::KeyPair::generate()?;
    let cert = params.self_signed(&key)?;
    Ok((cert, key))
}
