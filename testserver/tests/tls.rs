//! HTTPS: HTTP/2 and HTTP/1.1 by ALPN on one port, counted by protocol in the stats.

mod common;
use aurorax_testserver::{start, write_test_certificates, Alpn, Config, ServerGuard};
use common::*;
use reqwest::blocking::Client;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

fn tls_server(dir: &std::path::Path, alpn: Alpn) -> (ServerGuard, Vec<u8>) {
    let certs = write_test_certificates(dir).unwrap();
    let server = start(Config {
        search_seconds: 0.0,
        tls: Some(certs.files()),
        alpn,
        ..Config::default()
    })
    .unwrap();
    (server, std::fs::read(&certs.ca).unwrap())
}

fn trusting(ca: &[u8], http1_only: bool) -> Client {
    let mut b = Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(ca).unwrap())
        .timeout(Duration::from_secs(60));
    if http1_only {
        b = b.http1_only();
    }
    b.build().unwrap()
}

fn scratch(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("aurorax-ts-{name}-{}", std::process::id()))
}

#[test]
fn one_port_serves_http2_and_http1_by_alpn_and_counts_each() {
    let dir = scratch("alpn");
    let (server, ca) = tls_server(&dir, Alpn::Http2AndHttp1);
    assert!(server.base_url().starts_with("https://127.0.0.1:"));
    let base = format!("https://localhost:{}", server.port());
    let h2 = trusting(&ca, false);
    let location = submit(&h2, &base, "ephemeris", &ephemeris_query());
    // the Location keeps the scheme and the authority the client used
    assert!(
        location.starts_with(&format!("{base}/api/v1/ephemeris/requests/")),
        "{location}"
    );
    let h1 = trusting(&ca, true);
    let r = h1.get(&location).send().unwrap();
    assert_eq!(r.version(), reqwest::Version::HTTP_11);
    assert_eq!(r.status(), 200);
    let stats = server.stats();
    assert_eq!(stats["http_versions"]["HTTP/2.0"], 1, "{stats}");
    assert_eq!(stats["http_versions"]["HTTP/1.1"], 1, "{stats}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn http1_only_offers_no_http2() {
    let dir = scratch("h1");
    let (server, ca) = tls_server(&dir, Alpn::Http1Only);
    let base = format!("https://localhost:{}", server.port());
    let r = trusting(&ca, false)
        .get(format!("{base}/api/v1/ephemeris/requests/nope"))
        .send()
        .unwrap();
    assert_eq!(r.version(), reqwest::Version::HTTP_11);
    assert_eq!(r.status(), 404);
    assert_eq!(server.stats()["http_versions"]["HTTP/2.0"], 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn plain_http_to_the_tls_port_is_a_failed_handshake_not_an_answer() {
    let dir = scratch("plain");
    let (server, _ca) = tls_server(&dir, Alpn::Http2AndHttp1);
    let mut s = std::net::TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(b"GET /api/v1/ephemeris/requests/x HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    assert!(
        !answer.starts_with(b"HTTP/"),
        "{:?}",
        String::from_utf8_lossy(&answer)
    );
    // the connection task counts the failure after the client sees the close
    let deadline = Instant::now() + UNTIL_IT_HAPPENS;
    while server.stats()["transport"]["tls_failed"] == 0 {
        assert!(
            Instant::now() < deadline,
            "the failed handshake was never counted"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(server.stats()["transport"]["tls_failed"], 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_key_that_does_not_match_is_refused_at_start() {
    let dir = scratch("mismatch");
    let certs = write_test_certificates(&dir).unwrap();
    let err = start(Config {
        tls: Some(aurorax_testserver::TlsFiles {
            cert: certs.cert.clone(),
            key: certs.expired_key.clone(),
        }),
        ..Config::default()
    });
    assert!(err.is_err());
    let _ = std::fs::remove_dir_all(&dir);
}
