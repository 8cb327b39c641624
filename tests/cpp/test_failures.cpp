// The C++ API when things go wrong: a search the server fails, a wait that times out, a
// cancel from another thread, wait_any over a mix of outcomes, and progress on a large result.
// Outcomes are arranged on the local server through its admin endpoint; they apply to
// the next submitted search, so each arranged search is submitted alone.
#include "harness.hpp"

#include <cmath>
#include <thread>

namespace {

aurorax::search a_search() {
    return aurorax::search::conjunctions("2019-06-01T00:00:00", "2019-06-07T23:59:59",
                                         R"([{"programs": ["themis-asi"]}])", R"([{"programs": ["swarm"]}])", 500.0);
}

void arrange(const std::string &outcome, const std::string &message = "") {
    harness::admin_post("/_testserver/searches",
                        R"({"outcome": ")" + outcome + R"(", "count": 1, "message": ")" + message + R"("})");
}

}  // namespace

// A failed search throws from every accessor with AURORAX_ERR_SEARCH_FAILED and the
// server's own words; wait() ends on the failure, not at its timeout.
TEST_CASE(failed_search_throws) {
    harness::reset_server();
    const std::string words = "Search failed: database timeout (arranged by the C++ tests)";
    arrange("fail", words);
    auto s = a_search();
    // SEARCH_FAILED, not TIMEOUT: the wait ended on the failure (a client blind to
    // error_condition polls on; tests/failures.rs counts the polls on the server)
    CHECK_CONTAINS(CHECK_THROWS_STATUS(s.wait(UNTIL_IT_ENDS), AURORAX_ERR_SEARCH_FAILED), words);
    CHECK_CONTAINS(CHECK_THROWS_STATUS(s.ready(), AURORAX_ERR_SEARCH_FAILED), words);
    CHECK_THROWS_STATUS(s.data(), AURORAX_ERR_SEARCH_FAILED);
    CHECK_THROWS_STATUS(s.records(), AURORAX_ERR_SEARCH_FAILED);
    CHECK_THROWS_STATUS(s.phase(), AURORAX_ERR_SEARCH_FAILED);
    CHECK_EQ(s.request_id().size(), 36u);  // still known: it was submitted
    // A call refused for its own reason reports that reason, not the search's failure.
    const std::string refused = CHECK_THROWS_STATUS(s.wait(std::nan("")), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK(refused.find(words) == std::string::npos);
}

// wait(timeout) throws AURORAX_ERR_TIMEOUT after about the timeout, and the search goes on.
TEST_CASE(wait_timeout_throws) {
    harness::reset_server();
    arrange("never_finish");
    auto s = a_search();
    const auto start = harness::clock::now();
    CHECK_CONTAINS(CHECK_THROWS_STATUS(s.wait(0.3), AURORAX_ERR_TIMEOUT), "AURORAX_ERR_TIMEOUT");
    const double waited = harness::seconds_since(start);
    CHECK(waited >= 0.25);  // not before its timeout (TIMEOUT, not an end, says it did not hang)
    CHECK(!s.ready());  // still running: not ready, and not a failure
    CHECK(s.phase() == AURORAX_PHASE_SUBMITTING || s.phase() == AURORAX_PHASE_RUNNING);
    s.cancel();
    CHECK_THROWS_STATUS(s.wait(UNTIL_IT_ENDS), AURORAX_ERR_CANCELLED);
    CHECK_THROWS_STATUS(s.phase(), AURORAX_ERR_CANCELLED);
}

// A thread blocked in wait() wakes with AURORAX_ERR_CANCELLED when another thread cancels.
TEST_CASE(cancel_wakes_a_waiting_thread) {
    harness::reset_server();
    arrange("never_finish");
    auto s = a_search();
    int status = 0;
    double waited = -1;
    std::thread waiter([&] {
        const auto start = harness::clock::now();
        try {
            s.wait(UNTIL_IT_ENDS);
        } catch (const aurorax::error &e) {
            status = e.status();
        }
        waited = harness::seconds_since(start);
    });
    harness::nap(0.3);
    s.cancel();
    waiter.join();
    CHECK_EQ(status, AURORAX_ERR_CANCELLED);  // woken by the cancel: a timeout would say TIMEOUT
    CHECK(waited >= 0);
}

// wait_any over [succeeds after 3 s, never finishes, fails after 0.2 s]: the failure ends
// first (index 2, not the lowest index), then the success, then nothing within a timeout.
TEST_CASE(wait_any_mixed_outcomes) {
    harness::reset_server();
    harness::admin_post("/_testserver/config", R"({"search_seconds": 0.2})");
    arrange("fail", "Search failed: arranged for wait_any");
    auto failing = a_search();
    harness::submitted(failing);
    arrange("never_finish");
    auto never = a_search();
    harness::submitted(never);
    harness::admin_post("/_testserver/config", R"({"search_seconds": 3})");
    auto succeeding = a_search();
    harness::submitted(succeeding);
    harness::reset_server();

    // index 2: the failure was seen ended before the success (index 0, which wait_any would
    // name first had it ended too)
    CHECK_EQ((aurorax::wait_any({&succeeding, &never, &failing}, UNTIL_IT_ENDS)), 2u);
    CHECK_CONTAINS(CHECK_THROWS_STATUS(failing.wait(1), AURORAX_ERR_SEARCH_FAILED), "arranged for wait_any");

    CHECK_EQ((aurorax::wait_any({&succeeding, &never}, UNTIL_IT_ENDS)), 0u);
    CHECK_EQ(succeeding.records().size(), 7u);
    CHECK(!never.ready());

    CHECK_THROWS_STATUS(aurorax::wait_any({&never}, 0.3), AURORAX_ERR_TIMEOUT);
    never.cancel();
    CHECK_EQ(aurorax::wait_any({&never}, UNTIL_IT_ENDS), 0u);  // a cancelled search has ended
    CHECK_THROWS_STATUS(never.wait(1), AURORAX_ERR_CANCELLED);

    CHECK_THROWS_STATUS(aurorax::wait_any({}, 1), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_THROWS_STATUS((aurorax::wait_any({&succeeding, nullptr}, 1)), AURORAX_ERR_INVALID_ARGUMENT);
}

// phase() never goes backwards and ends READY; the byte counters agree at the end.
TEST_CASE(progress_on_a_large_result) {
    // The search runs 0.5 s and we look every 10 ms; a machine too busy to look while it
    // ran tries a new search (an order of events, not a speed), up to 10 times.
    bool saw_running = false;
    for (int attempt = 0; attempt < 10 && !saw_running; attempt++) {
        harness::reset_server();
        harness::admin_post("/_testserver/config", R"({"search_seconds": 0.5, "result_count": 2000})");
        auto s = a_search();
        int last = AURORAX_PHASE_SUBMITTING;
        CHECK(harness::eventually(
            [&] {
                const int phase = s.phase();
                CHECK(phase >= last);
                saw_running = saw_running || phase == AURORAX_PHASE_RUNNING;
                if (auto expected = s.bytes_expected()) CHECK(s.bytes_received() <= *expected);
                last = phase;
                return phase == AURORAX_PHASE_READY;
            },
            UNTIL_IT_ENDS));
        harness::reset_server();
        CHECK_EQ(s.record_count(), 2000);
        const auto expected = s.bytes_expected();
        CHECK(expected.has_value() && *expected == s.bytes_received());
        CHECK(s.bytes_received() > static_cast<std::int64_t>(s.data().size()) - 1);
    }
    CHECK(saw_running);
}

// The status is the library's number, never read from a message: a server's failure message
// that mimics another status's prefix ("AURORAX_ERR_NETWORK: ...") still throws
// AURORAX_ERR_SEARCH_FAILED from every accessor, with the server's words carried in what().
// Likewise an argument whose text looks like a status name.
TEST_CASE(message_wording_does_not_change_the_status) {
    harness::reset_server();
    const std::string words = "AURORAX_ERR_NETWORK: connection reset (words of the C++ tests)";
    arrange("fail", words);
    auto s = a_search();
    CHECK_CONTAINS(CHECK_THROWS_STATUS(s.wait(UNTIL_IT_ENDS), AURORAX_ERR_SEARCH_FAILED), words);
    CHECK_CONTAINS(CHECK_THROWS_STATUS(s.ready(), AURORAX_ERR_SEARCH_FAILED), words);
    CHECK_CONTAINS(CHECK_THROWS_STATUS(s.data(), AURORAX_ERR_SEARCH_FAILED), words);
    CHECK_THROWS_STATUS(s.records(), AURORAX_ERR_SEARCH_FAILED);
    CHECK_THROWS_STATUS(s.record_count(), AURORAX_ERR_SEARCH_FAILED);
    CHECK_THROWS_STATUS(s.phase(), AURORAX_ERR_SEARCH_FAILED);
    // a refused call that returned NULL: its status is aurorax_last_status()
    CHECK_THROWS_STATUS(aurorax::search::attach_conjunctions("AURORAX_ERR_TIMEOUT: not a request id"),
                        AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_THROWS_STATUS(aurorax::search::conjunctions_json("AURORAX_ERR_API: not JSON"), AURORAX_ERR_INVALID_ARGUMENT);
}
