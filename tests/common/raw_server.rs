//! A hand-written HTTP server on loopback, for answers the local AuroraX server will not
//! give (trickles, echoed keys, impossible status codes): the test says how each route
//! answers, byte for byte.

use super::{aurorax_search_t, start_seed, with_api_url};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

pub const ID: &str = "0848d9bb-5308-41a5-93ba-4453bad7ec38";

pub const DONE_STATUS: &str = r#"{"logs": [], "search_request": {}, "search_result": {"data_uri": "/x", "error_condition": false, "completed_timestamp": "2026-01-01T00:00:00"}}"#;

/// The routes of a conjunction search, as the library calls them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Submit,
    Status,
    Data,
    Other,
}

/// What the server does with one request: write its answer to the stream.
pub type Answer = fn(Route, &mut TcpStream, u16);

/// Serves every connection on its own thread until the test process ends; returns the port.
pub fn spawn(answer: Answer) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream, port, answer));
        }
    });
    port
}

fn serve(mut stream: TcpStream, port: u16, answer: Answer) {
    let Some(route) = read_request(&stream) else {
        return;
    };
    answer(route, &mut stream, port);
}

/// Reads one request whole (its body too, up to 1 MiB) and says which route it is;
/// `None` when not even a request line arrived.
pub fn read_request(stream: &TcpStream) -> Option<Route> {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return None;
    }
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header == "\r\n" || header.is_empty() {
            break;
        }
        if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length.min(1 << 20)];
    let _ = reader.read_exact(&mut body);
    Some(
        if request_line.starts_with("POST /api/v1/conjunctions/search") {
            Route::Submit
        } else if request_line.contains("/data") {
            Route::Data
        } else if request_line.contains(&format!("/requests/{ID}")) {
            Route::Status
        } else {
            Route::Other
        },
    )
}

/// A complete answer with a Content-Length, then the connection closes.
pub fn reply(stream: &mut TcpStream, head: &str, body: &str) {
    let _ = write!(
        stream,
        "{head}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// The 202 that accepts a search, with the Location of request `ID`.
pub fn accept(stream: &mut TcpStream, port: u16) {
    let head = format!(
        "HTTP/1.1 202 Accepted\r\nlocation: http://127.0.0.1:{port}/api/v1/conjunctions/requests/{ID}"
    );
    reply(stream, &head, "");
}

/// A head announcing `announced` bytes, then `bytes` spaces every `every`, until the
/// client hangs up (10,000 writes at most).
pub fn trickle(
    stream: &mut TcpStream,
    head: &str,
    announced: usize,
    bytes: usize,
    every: Duration,
) {
    let _ = write!(
        stream,
        "{head}\r\ncontent-type: application/json\r\ncontent-length: {announced}\r\n\r\n"
    );
    let spaces = vec![b' '; bytes];
    for _ in 0..10_000 {
        if stream.write_all(&spaces).is_err() {
            return;
        }
        std::thread::sleep(every);
    }
}

/// The seed search against the raw server on `port`, with `configure`'s settings.
pub fn search_at(port: u16, configure: impl FnOnce()) -> *mut aurorax_search_t {
    with_api_url(&format!("http://127.0.0.1:{port}"), configure, start_seed)
}
