//! Servers that trickle, each byte well within the request timeout, cannot hold a search —
//! nor a caller blocked in aurorax_get_data — for ever: a status answer must arrive whole
//! within the request timeout (a submit needs only its head), and a result at 1 KiB/s or
//! more on average.
//! (A hand-written server on loopback: the local AuroraX server has no trickle fault.)

mod common;
use common::raw_server::{self, accept, reply, trickle, Route, DONE_STATUS};
use common::*;
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::Duration;

/// A search to the raw server on `port`: request timeout 1 s, one retry.
fn search_at(port: u16) -> *mut aurorax_search_t {
    search_with_timeout(port, 1.0)
}

fn search_with_timeout(port: u16, request_timeout: f64) -> *mut aurorax_search_t {
    raw_server::search_at(port, || {
        assert_eq!(aurorax_set_request_timeout(request_timeout), OK);
        assert_eq!(aurorax_set_max_retries(1), OK);
    })
}

/// aurorax_get_data has no timeout of its own: the test gives up on it after
/// UNTIL_IT_HAPPENS.
fn get_data_fails(s: *mut aurorax_search_t) -> bool {
    let (tx, rx) = mpsc::channel();
    let handle = s as usize;
    std::thread::spawn(move || {
        let _ = tx.send(aurorax_get_data(handle as *mut aurorax_search_t).is_null());
    });
    rx.recv_timeout(UNTIL_IT_HAPPENS)
        .expect("aurorax_get_data returned")
}

fn assert_trickle_fails_the_download(s: *mut aurorax_search_t) {
    eventually(UNTIL_IT_HAPPENS, "the download starts", || {
        aurorax_get_phase(s) == 2
    });
    assert!(get_data_fails(s), "blocks while downloading, then fails");
    assert_eq!(aurorax_check_for_data(s), NETWORK);
    let why = search_error(s).unwrap();
    assert!(why.contains("trickles"), "{why}");
    aurorax_free(s);
}

#[test]
fn a_result_sent_a_byte_at_a_time_fails_instead_of_blocking_get_data() {
    let port = raw_server::spawn(|route, stream: &mut TcpStream, port| match route {
        Route::Submit => accept(stream, port),
        Route::Data => trickle(
            stream,
            "HTTP/1.1 200 OK",
            1_000_000,
            1,
            Duration::from_millis(200),
        ),
        _ => reply(stream, "HTTP/1.1 200 OK", DONE_STATUS),
    });
    assert_trickle_fails_the_download(search_at(port));
}

#[test]
fn a_result_paced_just_over_a_kilobyte_per_timeout_fails_too() {
    // 1100 bytes every 1.2 s with a 2 s request timeout: each chunk well within the
    // timeout (a busy machine may send one late), over 1 KiB per window, yet under 1 KiB/s
    let port = raw_server::spawn(|route, stream: &mut TcpStream, port| match route {
        Route::Submit => accept(stream, port),
        Route::Data => trickle(
            stream,
            "HTTP/1.1 200 OK",
            10_000_000,
            1100,
            Duration::from_millis(1200),
        ),
        _ => reply(stream, "HTTP/1.1 200 OK", DONE_STATUS),
    });
    assert_trickle_fails_the_download(search_with_timeout(port, 2.0));
}

#[test]
fn a_trickling_status_answer_is_a_network_failure_not_a_search_that_never_ends() {
    let port = raw_server::spawn(|route, stream: &mut TcpStream, port| match route {
        Route::Submit => accept(stream, port),
        _ => trickle(
            stream,
            "HTTP/1.1 200 OK",
            10_000_000,
            1100,
            Duration::from_millis(300),
        ),
    });
    let s = search_at(port);
    assert_eq!(
        aurorax_wait(s, UNTIL_IT_ENDS),
        NETWORK,
        "{:?}",
        search_error(s)
    );
    let why = search_error(s).unwrap();
    assert!(why.contains("within the request timeout"), "{why}");
    aurorax_free(s);
}

#[test]
fn a_202_whose_body_trickles_still_starts_the_search_it_accepted() {
    // the head (202 and its Location) is all a submit needs: the search exists on the
    // server, so a slow body must neither hold it in SUBMITTING nor fail it
    let port = raw_server::spawn(|route, stream: &mut TcpStream, port| match route {
        Route::Submit => {
            let head = format!("HTTP/1.1 202 Accepted\r\nlocation: http://127.0.0.1:{port}/api/v1/conjunctions/requests/{}", raw_server::ID);
            trickle(stream, &head, 10_000_000, 1100, Duration::from_millis(300))
        }
        Route::Data => reply(stream, "HTTP/1.1 200 OK", r#"{"result": [{"n": 1}]}"#),
        _ => reply(stream, "HTTP/1.1 200 OK", DONE_STATUS),
    });
    let s = search_at(port);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    assert_eq!(data(s).as_deref(), Some(r#"[{"n": 1}]"#));
    aurorax_free(s);
}
