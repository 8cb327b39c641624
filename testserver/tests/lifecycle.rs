//! Starting and stopping: the library guard and the binary.

mod common;
use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn start_returns_a_listening_server_and_drop_stops_it() {
    let s = server(0.0);
    let base = s.base_url().to_string();
    assert!(base.starts_with("http://127.0.0.1:"));
    assert!(std::net::TcpStream::connect(host(&base)).is_ok());
    drop(s);
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        std::net::TcpStream::connect(host(&base)).is_err(),
        "port closed after drop"
    );
}

#[test]
fn two_servers_run_side_by_side() {
    let (a, b) = (server(0.0), server(0.0));
    assert_ne!(a.base_url(), b.base_url());
}

#[test]
fn binary_prints_url_first_and_exits_0_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aurorax-testserver"))
        .args(["--listen", "127.0.0.1:0", "--search-seconds", "0.1"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim();
    assert!(url.starts_with("http://127.0.0.1:"), "first line: {line:?}");
    let r = client()
        .get(format!("{url}/_testserver/stats"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn binary_refuses_a_wrong_api_key_when_given() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aurorax-testserver"))
        .args(["--api-key=secret"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let submit = |key: Option<&str>| {
        let mut r = client()
            .post(format!("{}/api/v1/ephemeris/search", line.trim()))
            .json(&ephemeris_query());
        if let Some(k) = key {
            r = r.header("x-aurorax-api-key", k);
        }
        r.send().unwrap().status()
    };
    assert_eq!(submit(Some("wrong")), 401);
    assert_eq!(submit(Some("secret")), 202);
    assert_eq!(submit(None), 202, "searches are anonymous");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn binary_bad_flag_prints_usage_and_exits_2() {
    for args in [
        &["--bogus"][..],
        &["--listen", "nonsense"],
        &["--search-seconds", "-1"],
        &["--listen"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_aurorax-testserver"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("usage:"),
            "{args:?}"
        );
        assert!(out.stdout.is_empty());
    }
}
