//! The road every user takes: HTTPS to a DNS name, HTTP/2 by ALPN, trust from the system's
//! store plus a CA bundle. Every search here goes to `https://localhost:PORT` (or
//! `https://[::1]:PORT`) on a local server with a throwaway CA, and the protocol is read
//! from the server's own counts.

mod common;
use aurorax_testserver::Alpn;
use common::tls::*;
use common::*;
use serde_json::json;
use std::ffi::CString;

fn trusting(server: &TlsServer) -> impl FnOnce() + '_ {
    move || unsafe {
        assert_eq!(
            aurorax_set_ca_bundle(c(&server.ca()).as_ptr()),
            OK,
            "{}",
            last_error()
        );
    }
}

fn seed_over(server: &TlsServer) -> *mut aurorax_search_t {
    with_api_url(&server.url(), trusting(server), start_seed)
}

#[test]
fn the_seed_search_runs_over_https_and_http2() {
    let tls = tls_server(0.3);
    let s = seed_over(&tls);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    assert_eq!(
        data(s).unwrap(),
        expected_records("conjunctions", &seed_body())
    );
    let (h2, h1) = tls.http_versions();
    assert!(h2 >= 3, "submit, status and data over HTTP/2: {h2}");
    assert_eq!(h1, 0);
    assert_eq!(route_count(&tls.server, "submit"), 1);
    aurorax_free(s);
}

#[test]
fn attach_follows_a_request_over_https() {
    let tls = tls_server(0.3);
    let first = seed_over(&tls);
    assert_eq!(
        aurorax_wait(first, UNTIL_IT_ENDS),
        OK,
        "{:?}",
        search_error(first)
    );
    let id = CString::new(request_id(first).unwrap()).unwrap();
    let attached = with_api_url(&tls.url(), trusting(&tls), || unsafe {
        aurorax_conjunctions_search_attach(id.as_ptr())
    });
    assert!(!attached.is_null(), "{}", last_error());
    assert_eq!(
        aurorax_wait(attached, UNTIL_IT_ENDS),
        OK,
        "{:?}",
        search_error(attached)
    );
    assert_eq!(data(attached), data(first));
    assert_eq!(route_count(&tls.server, "submit"), 1);
    assert_eq!(tls.http_versions().1, 0);
    aurorax_free(first);
    aurorax_free(attached);
}

#[test]
fn twenty_concurrent_searches_share_their_connections() {
    let tls = tls_server(1.0);
    let searches: Vec<*mut aurorax_search_t> = with_api_url(&tls.url(), trusting(&tls), || {
        (0..20).map(|_| start_seed()).collect()
    });
    assert!(searches.iter().all(|s| !s.is_null()), "{}", last_error());
    let mut pending = searches.clone();
    while !pending.is_empty() {
        let i = unsafe { aurorax_wait_any(pending.as_ptr(), pending.len() as i32, UNTIL_IT_ENDS) };
        assert!(i >= 0, "wait_any: {i}");
        let s = pending.remove(i as usize);
        assert_eq!(aurorax_check_for_data(s), 1, "{:?}", search_error(s));
    }
    assert_eq!(route_count(&tls.server, "submit"), 20);
    let accepted = tls.connections();
    assert!(
        accepted <= 2,
        "HTTP/2 multiplexes: {accepted} connections accepted"
    );
    assert_eq!(tls.http_versions().1, 0);
    for s in searches {
        aurorax_free(s);
    }
}

#[test]
fn cancel_reaches_the_server_over_https() {
    let tls = tls_server(600.0);
    let s = seed_over(&tls);
    let id = wait_for_request_id(s);
    assert_eq!(aurorax_cancel(s), OK);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), CANCELLED);
    eventually(UNTIL_IT_HAPPENS, "the DELETE arrives", || {
        tls.server.stats()["by_request"][&id]["cancel"] == 1
    });
    assert_eq!(tls.http_versions().1, 0);
    aurorax_free(s);
}

fn big_result_over_https(gzip: bool) {
    let tls = tls_server(0.1);
    tls.server
        .configure(json!({"result_count": 20000, "gzip": gzip}));
    let s = seed_over(&tls);
    assert_eq!(aurorax_wait(s, 600.0), OK, "{:?}", search_error(s));
    let length = aurorax_get_data_length(s);
    assert!(length > 150_000_000, "a 156 MB result: {length}");
    assert_eq!(aurorax_get_record_count(s), 20000);
    let gzipped = tls.server.stats()["transport"]["gzip"].as_u64().unwrap();
    assert_eq!(gzipped > 0, gzip, "gzip answers: {gzipped}");
    assert_eq!(tls.http_versions().1, 0);
    aurorax_free(s);
}

#[test]
fn a_156_mb_result_arrives_over_http2() {
    big_result_over_https(false);
}

#[test]
fn a_156_mb_gzip_result_arrives_over_http2() {
    big_result_over_https(true);
}

#[test]
fn a_server_offering_only_http1_is_served_over_http1() {
    let tls = tls_server_with(0.3, Alpn::Http1Only, "127.0.0.1:0", Presented::Good);
    let s = seed_over(&tls);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    let (h2, h1) = tls.http_versions();
    assert_eq!(h2, 0);
    assert!(h1 >= 3, "{h1}");
    aurorax_free(s);
}

#[test]
fn ipv6_loopback_by_address() {
    let Ok(probe) = std::net::TcpListener::bind("[::1]:0") else {
        panic!("this machine has no IPv6 loopback (::1), which this test needs");
    };
    drop(probe);
    let tls = tls_server_with(0.3, Alpn::Http2AndHttp1, "[::1]:0", Presented::Good);
    assert!(tls.url().starts_with("https://[::1]:"));
    let s = seed_over(&tls);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    assert!(tls.http_versions().0 >= 3);
    aurorax_free(s);
}

/// A refused certificate: AURORAX_ERR_TLS, once (one handshake), with a message that names
/// the host, the reason and the fix.
fn refused(presented: Presented, trust_the_ca: bool, reason: &str) {
    let tls = tls_server_with(0.3, Alpn::Http2AndHttp1, "127.0.0.1:0", presented);
    let configure = || unsafe {
        if trust_the_ca {
            assert_eq!(aurorax_set_ca_bundle(c(&tls.ca()).as_ptr()), OK);
        }
        assert_eq!(aurorax_set_api_key(c("tls-refusal-key-77a1").as_ptr()), OK);
    };
    let s = with_api_url(&tls.url(), configure, start_seed);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), TLS, "{:?}", search_error(s));
    assert_eq!(aurorax_check_for_data(s), TLS);
    let message = search_error(s).unwrap();
    let host = format!("localhost:{}", tls.server.port());
    for part in [
        host.as_str(),
        reason,
        "aurorax_set_ca_bundle",
        "AURORAX_CA_BUNDLE",
    ] {
        assert!(message.contains(part), "'{part}' missing from: {message}");
    }
    assert!(!message.contains("tls-refusal-key-77a1"));
    assert_eq!(tls.connections(), 1, "never retried: one handshake");
    assert_eq!(
        total_requests(&tls.server),
        0,
        "no request passed the handshake"
    );
    aurorax_free(s);
}

#[test]
fn an_unknown_authority_is_a_tls_error() {
    refused(Presented::Good, false, "unknown authority");
    refused(Presented::UnknownCa, true, "unknown authority");
}

#[test]
fn a_certificate_for_another_name_is_a_tls_error() {
    refused(Presented::OtherName, true, "another name");
}

#[test]
fn an_expired_certificate_is_a_tls_error() {
    refused(Presented::Expired, true, "expired");
}

#[test]
fn plain_http_on_an_https_url_is_a_tls_error_sent_once() {
    let plain = server(0.3);
    let port = plain.base_url().rsplit(':').next().unwrap().to_string();
    let s = with_api_url(&format!("https://localhost:{port}"), || {}, start_seed);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), TLS, "{:?}", search_error(s));
    let message = search_error(s).unwrap();
    assert!(message.contains("did not answer in TLS"), "{message}");
    assert!(
        plain.stats()["transport"]["connections"].as_u64().unwrap() <= 1,
        "no retry storm: {}",
        plain.stats()
    );
    aurorax_free(s);
}

/// A listener that accepts, reads what the client sends, and closes (or, with `hang`, holds
/// the connection open without a word); it counts the connections.
fn handshake_breaker(hang: bool) -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::Read;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for mut stream in listener.incoming().flatten() {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut hello = [0u8; 512];
            let _ = stream.read(&mut hello);
            if hang {
                held.push(stream);
            }
        }
    });
    (port, accepted)
}

#[test]
fn a_server_closing_mid_handshake_is_a_tls_error_sent_once() {
    let (port, accepted) = handshake_breaker(false);
    let s = with_api_url(&format!("https://localhost:{port}"), || {}, start_seed);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), TLS, "{:?}", search_error(s));
    let message = search_error(s).unwrap();
    assert!(message.contains("during the TLS handshake"), "{message}");
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1);
    aurorax_free(s);
}

#[test]
fn a_silent_handshake_ends_with_the_request_timeout() {
    let (port, _accepted) = handshake_breaker(true);
    let s = with_api_url(
        &format!("https://localhost:{port}"),
        || {
            assert_eq!(aurorax_set_request_timeout(1.0), OK);
            assert_eq!(aurorax_set_max_retries(0), OK);
        },
        start_seed,
    );
    // the search ends by itself, long before this wait's own limit
    assert_eq!(
        aurorax_wait(s, UNTIL_IT_ENDS),
        NETWORK,
        "{:?}",
        search_error(s)
    );
    assert!(
        search_error(s).unwrap().contains("timed out"),
        "{:?}",
        search_error(s)
    );
    aurorax_free(s);
}

#[test]
fn bundles_that_are_not_pem_certificates_are_refused_at_the_call() {
    let dir = scratch_dir("bundles");
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.pem");
    std::fs::write(&empty, b"").unwrap();
    let garbage = dir.join("garbage.pem");
    std::fs::write(&garbage, b"not a certificate at all\n").unwrap();
    let certs = aurorax_testserver::write_test_certificates(&dir.join("certs")).unwrap();
    let der = certs.ca_der.clone();
    let missing = dir.join("missing.pem");
    for (path, words) in [
        (&missing, "cannot read"),
        (&empty, "no PEM certificate"),
        (&garbage, "no PEM certificate"),
        (&der, "DER"),
    ] {
        let p = c(path.to_str().unwrap());
        assert_eq!(
            unsafe { aurorax_set_ca_bundle(p.as_ptr()) },
            INVALID_ARGUMENT
        );
        assert_eq!(aurorax_last_status(), INVALID_ARGUMENT);
        let message = last_error();
        assert!(
            message.contains("pem_path") && message.contains(words),
            "{message}"
        );
    }
    let bad_utf8 = [0xffu8, 0xfe, 0];
    assert_eq!(
        unsafe { aurorax_set_ca_bundle(bad_utf8.as_ptr() as *const std::ffi::c_char) },
        INVALID_ARGUMENT
    );
    // a good one is accepted, and NULL removes it
    assert_eq!(
        unsafe { aurorax_set_ca_bundle(c(&certs.ca.to_string_lossy()).as_ptr()) },
        OK
    );
    assert_eq!(unsafe { aurorax_set_ca_bundle(std::ptr::null()) }, OK);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Searches started together go at once once the first connection is made: their submits
/// overlap on the server (they once went one at a time behind the first, and on a slow
/// day the last ones timed out).
#[test]
fn concurrent_submits_overlap_on_the_shared_connection() {
    let tls = tls_server(0.3);
    tls.server.configure(json!({"latency": {"submit": 2.0}}));
    let searches: Vec<*mut aurorax_search_t> = with_api_url(
        &tls.url(),
        || {
            trusting(&tls)();
            assert_eq!(aurorax_set_request_timeout(120.0), OK);
        },
        || (0..10).map(|_| start_seed()).collect(),
    );
    for s in &searches {
        assert_eq!(
            aurorax_wait(*s, UNTIL_IT_ENDS),
            OK,
            "{:?}",
            search_error(*s)
        );
    }
    let most = tls.server.stats()["most_in_flight"]["submit"]
        .as_u64()
        .unwrap();
    // the first goes alone; the nine that waited for its connection go together
    assert!(most >= 5, "at most {most} submits in flight at once");
    assert!(tls.connections() <= 2);
    for s in searches {
        aurorax_free(s);
    }
}
