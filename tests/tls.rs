//! TLS certificates are verified: an HTTPS server (openssl s_server) with a self-signed certificate on
//! loopback is refused before any request (and so before the API key) is sent.
//! Uses the openssl command line (Debian's openssl package) for the certificate and server.

mod common;
use common::*;
use std::process::{Command, Stdio};
use std::time::Duration;

const KEY: &str = "tls-test-key-5e1f";

#[test]
fn a_self_signed_certificate_is_refused_before_the_key_is_sent() {
    let dir = std::env::temp_dir().join(format!("aurorax-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .expect("openssl is required for this test (apt-get install openssl)");
    assert!(made.success());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // -www answers any request it decrypts with a status page that echoes the request.
    let mut tls_server = Command::new("openssl")
        .args([
            "s_server",
            "-quiet",
            "-www",
            "-accept",
            &port.to_string(),
            "-naccept",
            "3",
        ])
        .arg("-cert")
        .arg(&cert)
        .arg("-key")
        .arg(&key)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }

    let s = with_api_url(
        &format!("https://127.0.0.1:{port}"),
        || unsafe {
            assert_eq!(aurorax_set_api_key(c(KEY).as_ptr()), 0);
            assert_eq!(aurorax_set_max_retries(0), 0);
        },
        start_seed,
    );
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), TLS, "{:?}", search_error(s));
    let message = search_error(s).unwrap();
    assert!(message.to_lowercase().contains("certificate"), "{message}");
    assert!(!message.contains(KEY));
    aurorax_free(s);

    // The server itself works for a client that skips verification: the refusal above was
    // the certificate check, and TLS sends no request (so no key) before it passes.
    let insecure = Command::new("curl")
        .args([
            "-sk",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            &format!("https://127.0.0.1:{port}/"),
        ])
        .output();
    let _ = tls_server.kill();
    let _ = tls_server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let insecure = insecure.expect("curl is required for this test");
    assert_eq!(String::from_utf8_lossy(&insecure.stdout), "200");
}
