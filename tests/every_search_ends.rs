//! Every search ends, whatever happens to the engine's work or the caller's handle: a
//! panic in the engine's task, a free or cancel while another thread waits, a result over
//! the caller's cap. (Its own binary: the injected panic hits whichever task starts next.)

mod common;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

/// The thread's answer, failing the test if it has none within `UNTIL_IT_HAPPENS`: the
/// wait under test may have no limit, the test itself always has one.
fn answer_of(waiter: std::thread::JoinHandle<(i32, Duration)>) -> (i32, Duration) {
    let deadline = Instant::now() + UNTIL_IT_HAPPENS;
    while !waiter.is_finished() {
        assert!(
            Instant::now() < deadline,
            "a waiter was still blocked after {UNTIL_IT_HAPPENS:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    waiter.join().unwrap()
}

fn waiter(s: *mut aurorax_search_t, timeout: f64) -> std::thread::JoinHandle<(i32, Duration)> {
    let key = s as usize;
    std::thread::spawn(move || {
        let started = Instant::now();
        (
            aurorax_wait(key as *mut aurorax_search_t, timeout),
            started.elapsed(),
        )
    })
}

#[test]
fn every_search_ends() {
    a_panic_in_the_engines_task_ends_the_search_as_internal();
    free_wakes_a_thread_waiting_on_the_handle();
    cancel_wakes_every_waiter_and_get_data();
    a_result_over_the_cap_fails_as_protocol_at_once();
    the_cap_can_be_lifted_again();
}

fn a_panic_in_the_engines_task_ends_the_search_as_internal() {
    let server = server(0.1);
    let s = with_server(
        &server,
        || aurorax::internals::PANIC_IN_NEXT_TASK.store(true, std::sync::atomic::Ordering::SeqCst),
        start_seed,
    );
    assert!(!s.is_null());
    // an unbounded wait returns: the supervisor settled the search
    let (rc, _) = answer_of(waiter(s, 0.0));
    assert_eq!(rc, INTERNAL);
    assert_eq!(aurorax_check_for_data(s), INTERNAL);
    let message = search_error(s).unwrap();
    assert!(message.contains("a panic injected by a test"), "{message}");
    aurorax_free(s);
    // the engine goes on serving other searches
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    aurorax_free(s);
}

fn free_wakes_a_thread_waiting_on_the_handle() {
    let server = server(60.0);
    // The waiter must be inside aurorax_wait when the free comes. Nothing says when a
    // thread gets there, so a waiter that was not there yet (it then finds the handle
    // gone: INVALID_ARGUMENT) makes the round start again, until one was woken.
    let mut s;
    let mut rounds = 0;
    loop {
        rounds += 1;
        assert!(
            rounds <= 10,
            "no waiter was inside aurorax_wait in 10 rounds"
        );
        s = seed_search(&server);
        let entering = std::sync::Arc::new(std::sync::Barrier::new(2));
        let blocked = {
            let (key, entering) = (s as usize, entering.clone());
            std::thread::spawn(move || {
                entering.wait();
                let started = Instant::now();
                (
                    aurorax_wait(key as *mut aurorax_search_t, 0.0),
                    started.elapsed(),
                )
            })
        };
        entering.wait();
        std::thread::sleep(Duration::from_millis(200));
        aurorax_free(s);
        let (rc, _) = answer_of(blocked);
        if rc == INVALID_ARGUMENT {
            continue;
        }
        assert_eq!(rc, CANCELLED);
        break;
    }
    assert_eq!(
        aurorax_check_for_data(s),
        INVALID_ARGUMENT,
        "the handle is gone"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        route_count(&server, "cancel"),
        0,
        "free does not cancel on the server"
    );
}

fn cancel_wakes_every_waiter_and_get_data() {
    let server = server(60.0);
    let s = seed_search(&server);
    wait_for_request_id(s);
    let waiters: Vec<_> = (0..3).map(|_| waiter(s, UNTIL_IT_ENDS)).collect();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(aurorax_cancel(s), OK);
    for w in waiters {
        assert_eq!(answer_of(w).0, CANCELLED);
    }
    assert!(aurorax_get_data(s).is_null());
    assert!(
        last_error().starts_with("AURORAX_ERR_CANCELLED"),
        "{}",
        last_error()
    );
    aurorax_free(s);
}

fn a_result_over_the_cap_fails_as_protocol_at_once() {
    let server = server(0.1);
    server.configure(json!({"result_count": 2000}));
    let s = with_server(
        &server,
        || assert_eq!(aurorax_set_max_result_bytes(100_000), OK),
        start_seed,
    );
    // 15.6 MB under AddressSanitizer beside other suites has taken over 20 s
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), PROTOCOL);
    let message = search_error(s).unwrap();
    assert!(
        message.contains("aurorax_set_max_result_bytes") && message.contains("100000"),
        "{message}"
    );
    let id = request_id(s).unwrap();
    assert_eq!(
        stats(&server)["by_request"][&id]["data"],
        1,
        "a refusal on size is not retried"
    );
    aurorax_free(s);
}

fn the_cap_can_be_lifted_again() {
    let server = server(0.1);
    server.configure(json!({"result_count": 2000}));
    let s = with_server(
        &server,
        || assert_eq!(aurorax_set_max_result_bytes(0), OK),
        start_seed,
    );
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    assert!(aurorax_get_data_length(s) > 100_000);
    aurorax_free(s);
    assert_eq!(aurorax_set_max_result_bytes(-5), OK);
}
