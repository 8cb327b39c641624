//! aurorax_shutdown ends running searches and the next search starts the engine again.
//! (Its own test binary: shutting the engine down would disturb parallel tests.)

mod common;
use common::*;

#[test]
fn shutdown_cancels_running_searches_and_the_engine_restarts() {
    let server = server(30.0);
    let s = seed_search(&server);
    wait_for_request_id(s);
    aurorax_shutdown();
    assert_eq!(aurorax_check_for_data(s), CANCELLED);
    assert_eq!(aurorax_wait(s, 1.0), CANCELLED);
    assert!(search_error(s).unwrap().contains("aurorax_shutdown"));
    aurorax_free(s);
    aurorax_shutdown(); // twice is harmless

    let quick = server_quick();
    let s = seed_search(&quick);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    aurorax_free(s);
    aurorax_shutdown();

    // Cancelled (and freed) while its submit is in flight, then shut down: the DELETE the
    // server is owed still goes out.
    let slow_submit = common::server(30.0);
    slow_submit
        .inject_fault(serde_json::json!({"route": "submit", "fault": "delay", "delay_ms": 400}));
    let s = seed_search(&slow_submit);
    // in flight: the server has the submit (counted on arrival) and holds its answer for
    // 0.4 s, inside the 2 s that aurorax_shutdown gives an owed DELETE
    eventually(UNTIL_IT_HAPPENS, "the submit reaches the server", || {
        route_count(&slow_submit, "submit") == 1
    });
    assert_eq!(aurorax_cancel(s), OK);
    aurorax_free(s);
    aurorax_shutdown();
    assert_eq!(route_count(&slow_submit, "submit"), 1);
    assert_eq!(
        route_count(&slow_submit, "cancel"),
        1,
        "the owed DELETE was dropped by shutdown"
    );
}

fn server_quick() -> ServerGuard {
    server(0.1)
}
