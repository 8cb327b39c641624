//! Nothing lost, nothing invented: where the status's `result_count` and the records
//! received disagree, the library says so at warn level (the API does not document what
//! the count means, so the search still succeeds). Its own binary: the log callback is
//! process-wide.

mod common;
use common::raw_server::{self, accept, reply, Route};
use common::*;
use std::net::TcpStream;

#[test]
fn a_count_that_differs_from_the_records_is_told_at_warn_level() {
    logs::collect_lines(1);
    let port = raw_server::spawn(|route, stream: &mut TcpStream, port| match route {
        Route::Submit => accept(stream, port),
        Route::Status => reply(
            stream,
            "HTTP/1.1 200 OK",
            r#"{"logs": [], "search_request": {}, "search_result": {"data_uri": "/x", "error_condition": false, "completed_timestamp": "2026-01-01T00:00:00", "result_count": 5}}"#,
        ),
        Route::Data => reply(
            stream,
            "HTTP/1.1 200 OK",
            r#"{"result": [{"a": 1}, {"a": 2}]}"#,
        ),
        Route::Other => reply(stream, "HTTP/1.1 404 Not Found", "{}"),
    });
    let s = raw_server::search_at(port, || {});
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    assert_eq!(aurorax_get_record_count(s), 2);
    aurorax_free(s);
    let lines = logs::lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("announced 5 records") && l.contains("holds 2")),
        "{lines:#?}"
    );
}
