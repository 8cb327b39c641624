//! What a server says reaches the caller only as a bounded, harmless quotation: an echoed
//! API key is blanked out of every message and log line, a flood of failure text is cut
//! to an excerpt, and an answer no request can have is a protocol error. (Its own binary:
//! the log callback is process-wide.)

mod common;
use common::raw_server::{self, accept, reply, Route, DONE_STATUS, ID};
use common::*;
use std::net::TcpStream;

const KEY: &str = "SECRETKEY-9f2c1e7b";

/// A search to the raw server on `port`, with the API key set and no retries. These tests
/// are about what an answer says, not how soon it comes: the request timeout is long enough
/// for a 10 MB status built and parsed by a sanitized build on a busy machine (5 s was not).
fn search_at(port: u16) -> *mut aurorax_search_t {
    raw_server::search_at(port, || {
        assert_eq!(unsafe { aurorax_set_api_key(c(KEY).as_ptr()) }, OK);
        assert_eq!(aurorax_set_max_retries(0), OK);
        assert_eq!(aurorax_set_request_timeout(120.0), OK);
    })
}

#[test]
fn an_api_key_the_server_echoes_back_appears_in_no_message_and_no_log_line() {
    logs::collect_lines(3);
    let port = raw_server::spawn(|route, stream: &mut TcpStream, port| match route {
        Route::Submit => accept(stream, port),
        _ => reply(
            stream,
            "HTTP/1.1 401 Unauthorized",
            &format!(
                r#"{{"error_code": "NotAuthorized", "error_message": "api key '{KEY}' is not valid"}}"#
            ),
        ),
    });
    let s = search_at(port);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), UNAUTHORIZED);
    let why = search_error(s).unwrap();
    assert!(
        why.contains("is not valid"),
        "the server's words are kept: {why}"
    );
    assert!(!why.contains(KEY), "{why}");
    assert!(aurorax_get_data(s).is_null());
    assert!(!last_error().contains(KEY), "{}", last_error());
    aurorax_free(s);
    assert_eq!(aurorax_set_log_level(-1), OK);
    let lines = logs::take_lines();
    assert!(
        lines.iter().any(|l| l.contains("is not valid")),
        "{lines:?}"
    );
    for line in &lines {
        assert!(!line.contains(KEY), "{line}");
    }
}

#[test]
fn a_flood_of_failure_text_is_cut_to_an_excerpt() {
    let port = raw_server::spawn(|route, stream: &mut TcpStream, port| match route {
        Route::Submit => accept(stream, port),
        _ => {
            let summary = format!("database timeout {}", "E".repeat(10 << 20));
            let status = serde_json::json!({
                "logs": [{"level": "error", "summary": summary, "timestamp": "2026-01-01T00:00:00"}],
                "search_request": {},
                "search_result": {"data_uri": null, "error_condition": true, "completed_timestamp": "2026-01-01T00:00:00"}
            });
            reply(stream, "HTTP/1.1 200 OK", &status.to_string())
        }
    });
    let s = search_at(port);
    assert_eq!(
        aurorax_wait(s, UNTIL_IT_ENDS),
        SEARCH_FAILED,
        "{:?}",
        search_error(s)
    );
    let why = search_error(s).unwrap();
    assert!(
        why.contains("database timeout EEE"),
        "{}",
        &why[..80.min(why.len())]
    );
    assert!(why.len() < 2000, "{} bytes", why.len());
    assert!(why.contains("more bytes)"), "says it was cut");
    aurorax_free(s);
}

#[test]
fn a_not_modified_answer_to_a_plain_get_is_a_protocol_error() {
    let port = raw_server::spawn(|route, stream: &mut TcpStream, port| match route {
        Route::Submit => accept(stream, port),
        Route::Data => reply(stream, "HTTP/1.1 304 Not Modified", ""),
        _ => reply(stream, "HTTP/1.1 200 OK", DONE_STATUS),
    });
    let s = search_at(port);
    assert_eq!(
        aurorax_wait(s, UNTIL_IT_ENDS),
        PROTOCOL,
        "{:?}",
        search_error(s)
    );
    let why = search_error(s).unwrap();
    assert!(why.contains("HTTP 304"), "{why}");
    assert!(!why.contains("redirect"), "{why}");
    assert_eq!(request_id(s).as_deref(), Some(ID));
    aurorax_free(s);
}

#[test]
fn an_answer_that_is_not_http_is_a_protocol_error() {
    let port = raw_server::spawn(|route, stream: &mut TcpStream, port| match route {
        Route::Submit => accept(stream, port),
        _ => {
            use std::io::Write;
            let _ = stream.write_all(b"HTTX/1.1 200 OK\r\ncontent-length: -5\r\n\r\n{}");
        }
    });
    let s = search_at(port);
    assert_eq!(
        aurorax_wait(s, UNTIL_IT_ENDS),
        PROTOCOL,
        "{:?}",
        search_error(s)
    );
    aurorax_free(s);
}

#[test]
fn a_key_echoed_in_the_requests_logs_is_blanked_in_status_logs_and_error() {
    let port = raw_server::spawn(|route, stream: &mut TcpStream, port| match route {
        Route::Submit => accept(stream, port),
        _ => {
            let status = serde_json::json!({
                "logs": [{"level": "error", "summary": format!("key {KEY} rejected"), "timestamp": "2026-01-01T00:00:00"}],
                "search_request": {"api_key": KEY},
                "search_result": {"data_uri": null, "error_condition": true, "completed_timestamp": "2026-01-01T00:00:00"}
            });
            reply(stream, "HTTP/1.1 200 OK", &status.to_string())
        }
    });
    let s = search_at(port);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), SEARCH_FAILED);
    let why = search_error(s).unwrap();
    assert!(why.contains("rejected") && !why.contains(KEY), "{why}");
    let status = text(aurorax_get_status(s)).unwrap();
    let logs = text(aurorax_get_logs(s)).unwrap();
    assert!(
        status.contains("rejected") && !status.contains(KEY),
        "{status}"
    );
    assert!(logs.contains("rejected") && !logs.contains(KEY), "{logs}");
    aurorax_free(s);
}

#[test]
fn a_status_that_is_another_requests_is_a_protocol_error() {
    let port = raw_server::spawn(|route, stream: &mut TcpStream, port| match route {
        Route::Submit => accept(stream, port),
        Route::Status => reply(
            stream,
            "HTTP/1.1 200 OK",
            r#"{"logs": [], "search_request": {"request_id": "11111111-2222-4333-8444-555555555555"}, "search_result": {"data_uri": "/x", "error_condition": false, "completed_timestamp": "2026-01-01T00:00:00"}}"#,
        ),
        _ => reply(stream, "HTTP/1.1 500 Internal Server Error", "{}"),
    });
    let s = search_at(port);
    assert_eq!(
        aurorax_wait(s, UNTIL_IT_ENDS),
        PROTOCOL,
        "{:?}",
        search_error(s)
    );
    let why = search_error(s).unwrap();
    assert!(why.contains(ID) && why.contains("11111111-2222"), "{why}");
    aurorax_free(s);
}
