//! The API key: sent where it must be, never where it must not.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const KEY: &str = "test-key-3f9a0c1d";

fn keyed_server() -> ServerGuard {
    start(Config {
        api_key: Some(KEY.into()),
        search_seconds: 0.1,
        ..Config::default()
    })
    .unwrap()
}

fn seed_with_key(
    server: &ServerGuard,
    key: Option<&str>,
    url: Option<&str>,
) -> *mut aurorax_search_t {
    with_server(
        server,
        || unsafe {
            if let Some(k) = key {
                assert_eq!(aurorax_set_api_key(c(k).as_ptr()), 0);
            }
            if let Some(u) = url {
                assert_eq!(aurorax_set_api_url(c(u).as_ptr()), 0);
            }
        },
        start_seed,
    )
}

#[test]
fn the_key_is_sent_to_a_server_that_requires_it() {
    let server = keyed_server();
    let s = seed_with_key(&server, Some(KEY), None);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    aurorax_free(s);
}

#[test]
fn a_wrong_key_is_unauthorized_and_never_echoed_and_no_key_is_anonymous() {
    let server = keyed_server();
    let s = seed_with_key(&server, None, None);
    assert_eq!(
        aurorax_wait(s, UNTIL_IT_ENDS),
        OK,
        "searches are anonymous: {:?}",
        search_error(s)
    );
    aurorax_free(s);
    let s = seed_with_key(&server, Some("wrong-key-77"), None);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), UNAUTHORIZED);
    assert!(!search_error(s).unwrap().contains("wrong-key-77"));
    aurorax_free(s);
}

#[test]
fn the_key_never_goes_over_plain_http_to_another_host() {
    let server = keyed_server();
    let s = seed_with_key(&server, Some(KEY), Some("http://api.aurorax.space"));
    assert!(s.is_null());
    let message = last_error();
    assert!(
        message.contains("refusing to send the API key over plain HTTP"),
        "{message}"
    );
    assert!(!message.contains(KEY));
}

/// A server that answers every request with a redirect to `to`, counting requests.
fn redirector(to: String) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(10).flatten() {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut stream = stream;
            let _ = write!(stream, "HTTP/1.1 307 Temporary Redirect\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (url, seen)
}

#[test]
fn the_key_is_never_forwarded_on_a_redirect_to_another_host() {
    // The trap: "localhost" is another host name than "127.0.0.1".
    let target = TcpListener::bind("127.0.0.1:0").unwrap();
    let target_port = target.local_addr().unwrap().port();
    target.set_nonblocking(true).unwrap();
    let (url, seen) = redirector(format!(
        "http://localhost:{target_port}/api/v1/conjunctions/search"
    ));
    let server = keyed_server();
    let s = seed_with_key(&server, Some(KEY), Some(&url));
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), API, "{:?}", search_error(s));
    let message = search_error(s).unwrap();
    assert!(
        message.contains("redirected") && !message.contains(KEY),
        "{message}"
    );
    assert_eq!(seen.load(Ordering::SeqCst), 1);
    assert!(
        target.accept().is_err(),
        "the redirect was followed to another host"
    );
    aurorax_free(s);
}

#[test]
fn a_malformed_api_url_from_the_environment_is_refused_not_replaced() {
    // The environment is read once per process, so this runs in a child process.
    if std::env::var_os("AURORAX_TEST_CHILD").is_some() {
        let s = unsafe {
            aurorax_conjunctions_search_async(
                c("2019-01-01T00:00:00").as_ptr(),
                c("2019-01-02T00:00:00").as_ptr(),
                c(SEED_GROUND).as_ptr(),
                c(SEED_SPACE).as_ptr(),
                300.0,
            )
        };
        assert!(s.is_null());
        assert!(last_error().contains("AURORAX_API_URL"), "{}", last_error());
        return;
    }
    // The child runs this very test by name: it must say it ran exactly one test, which
    // passed (a name that drifted would run none, and pass).
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_malformed_api_url_from_the_environment_is_refused_not_replaced",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("AURORAX_TEST_CHILD", "1")
        .env("AURORAX_API_URL", "htp:/typo.example")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&child.stdout);
    let report = format!(
        "{}\nstdout:\n{stdout}\nstderr:\n{}",
        child.status,
        String::from_utf8_lossy(&child.stderr)
    );
    assert!(child.status.success(), "{report}");
    assert!(
        stdout.contains("\nrunning 1 test\n")
            && stdout.contains(
                "test a_malformed_api_url_from_the_environment_is_refused_not_replaced ... ok"
            )
            && stdout.contains("test result: ok. 1 passed; 0 failed;"),
        "the child did not run exactly this one test: {report}"
    );
}
