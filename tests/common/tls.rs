//! Local HTTPS servers for tests: a throwaway CA and certificates made in a scratch
//! directory for each server, so every test trusts its own CA (and so gets its own HTTP
//! client, with an empty pool, in the library).

use aurorax_testserver::{
    start, write_test_certificates, Alpn, Config, ServerGuard, TestCertificates,
};
use std::path::PathBuf;

pub struct TlsServer {
    pub server: ServerGuard,
    pub certs: TestCertificates,
    dir: PathBuf,
}

impl TlsServer {
    /// `https://localhost:PORT` (or `https://[::1]:PORT` for a server on ::1): the name the
    /// certificate is checked against, as a real user's DNS name is.
    pub fn url(&self) -> String {
        let base = self.server.base_url();
        if base.contains("[::1]") {
            format!("https://[::1]:{}", self.server.port())
        } else {
            format!("https://localhost:{}", self.server.port())
        }
    }

    pub fn ca(&self) -> String {
        self.certs.ca.to_str().unwrap().to_string()
    }

    pub fn http_versions(&self) -> (u64, u64) {
        let stats = self.server.stats();
        let n = |v: &str| stats["http_versions"][v].as_u64().unwrap();
        (n("HTTP/2.0"), n("HTTP/1.1"))
    }

    pub fn connections(&self) -> u64 {
        self.server.stats()["transport"]["connections"]
            .as_u64()
            .unwrap()
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn scratch_dir(name: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("aurorax-{name}-{}-{n}", std::process::id()))
}

/// Which certificate the server presents.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Presented {
    Good,
    Expired,
    OtherName,
    UnknownCa,
}

pub fn tls_server_with(
    search_seconds: f64,
    alpn: Alpn,
    listen: &str,
    presented: Presented,
) -> TlsServer {
    let dir = scratch_dir("tls");
    let certs = write_test_certificates(&dir).expect("test certificates");
    let (cert, key) = match presented {
        Presented::Good => (certs.cert.clone(), certs.key.clone()),
        Presented::Expired => (certs.expired_cert.clone(), certs.expired_key.clone()),
        Presented::OtherName => (certs.other_name_cert.clone(), certs.other_name_key.clone()),
        Presented::UnknownCa => (certs.unknown_ca_cert.clone(), certs.unknown_ca_key.clone()),
    };
    let server = start(Config {
        search_seconds,
        listen: listen.parse().unwrap(),
        tls: Some(aurorax_testserver::TlsFiles { cert, key }),
        alpn,
        ..Config::default()
    })
    .expect("local HTTPS server starts");
    TlsServer { server, certs, dir }
}

pub fn tls_server(search_seconds: f64) -> TlsServer {
    tls_server_with(
        search_seconds,
        Alpn::Http2AndHttp1,
        "127.0.0.1:0",
        Presented::Good,
    )
}
