//! Proxies from the environment, as curl reads them: honoured for remote hosts, never for
//! loopback, and never carrying the API key in clear text. A fake proxy on loopback records
//! what reaches it; nothing leaves the machine. (Its own binary: the engine reads the
//! environment when it starts, and the variables are set before any thread asks.)

mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

const KEY: &str = "proxy-test-key-5be1";

/// Accepts connections, keeps every byte received, answers 502 and closes.
fn fake_proxy() -> (String, Arc<Mutex<Vec<u8>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            stream
                .set_read_timeout(Some(std::time::Duration::from_millis(300)))
                .unwrap();
            let mut buffer = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                log.lock().unwrap().extend_from_slice(&buffer[..n]);
                if log.lock().unwrap().windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
            let _ = stream.write_all(
                b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
        }
    });
    (address, seen)
}

#[test]
fn proxies_are_honoured_but_never_for_loopback_or_a_clear_text_key() {
    let (proxy, seen) = fake_proxy();
    // Set before the engine's first start in this process (the test is alone in its binary).
    std::env::set_var("HTTP_PROXY", &proxy);
    std::env::set_var("https_proxy", &proxy);
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");

    // Loopback with a key: straight to the server, never through the proxy.
    let server = start(Config {
        api_key: Some(KEY.into()),
        search_seconds: 0.1,
        ..Config::default()
    })
    .unwrap();
    let s = with_server(
        &server,
        || unsafe { assert_eq!(aurorax_set_api_key(c(KEY).as_ptr()), OK) },
        start_seed,
    );
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    aurorax_free(s);
    assert!(
        seen.lock().unwrap().is_empty(),
        "loopback traffic went through the proxy"
    );

    // A remote plain-HTTP host without a key goes through the proxy (which answers 502).
    let s = with_server(
        &server,
        || unsafe {
            assert_eq!(
                aurorax_set_api_url(c("http://api.example.invalid").as_ptr()),
                OK
            )
        },
        || {
            assert_eq!(aurorax_set_max_retries(0), OK);
            start_seed()
        },
    );
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), API, "{:?}", search_error(s));
    aurorax_free(s);
    let through = String::from_utf8_lossy(&seen.lock().unwrap()).to_string();
    assert!(
        through.contains("POST http://api.example.invalid/api/v1/conjunctions/search"),
        "{through}"
    );

    // A remote plain-HTTP host with a key is refused before anything is sent.
    seen.lock().unwrap().clear();
    let s = with_server(
        &server,
        || unsafe {
            assert_eq!(
                aurorax_set_api_url(c("http://api.example.invalid").as_ptr()),
                OK
            );
            assert_eq!(aurorax_set_api_key(c(KEY).as_ptr()), OK);
        },
        start_seed,
    );
    assert!(s.is_null());
    assert!(seen.lock().unwrap().is_empty());

    // HTTPS with a key tunnels through the proxy: only a CONNECT, never the key in clear.
    let s = with_server(
        &server,
        || unsafe {
            assert_eq!(
                aurorax_set_api_url(c("https://api.example.invalid").as_ptr()),
                OK
            );
            assert_eq!(aurorax_set_api_key(c(KEY).as_ptr()), OK);
            assert_eq!(aurorax_set_max_retries(0), OK);
        },
        start_seed,
    );
    assert!(aurorax_wait(s, UNTIL_IT_ENDS) < 0);
    aurorax_free(s);
    let through = String::from_utf8_lossy(&seen.lock().unwrap()).to_string();
    assert!(
        through.starts_with("CONNECT api.example.invalid:443"),
        "{through}"
    );
    assert!(
        !through.contains(KEY),
        "the key reached the proxy in clear text"
    );
}
