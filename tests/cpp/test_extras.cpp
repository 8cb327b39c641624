// The extras beyond design.md §2.2: data-source and availability lookups through the same
// search object, the byte counters before any download, and the outage tolerance setting.
#include "harness.hpp"

#include <cmath>

// The local server knows three low-earth-orbit sources (Swarm A, B, C).
TEST_CASE(data_sources_and_availability) {
    harness::reset_server();
    auto sources = aurorax::search::data_sources(R"({"source_type": "leo", "format": "basic_info"})");
    sources.wait(UNTIL_IT_ENDS);
    const auto records = sources.records();
    CHECK_EQ(records.size(), 3u);
    for (std::string_view r : records) CHECK(r.find("\"program\":\"swarm\"") != std::string_view::npos);
    CHECK_EQ(sources.phase(), AURORAX_PHASE_READY);
    // A lookup has no query to describe: refused, as aurorax.h says.
    CHECK_THROWS_STATUS(sources.describe(), AURORAX_ERR_INVALID_ARGUMENT);

    auto availability = aurorax::search::ephemeris_availability("2020-01-01", "2020-01-03", R"({"program": "swarm"})");
    availability.wait(UNTIL_IT_ENDS);
    const auto days = availability.records();
    CHECK_EQ(days.size(), 3u);  // one record per source
    for (std::string_view r : days) CHECK(r.find("\"available_ephemeris\"") != std::string_view::npos);

    CHECK_THROWS_STATUS(aurorax::search::ephemeris_availability("2020-01-03", "2020-01-01"),
                        AURORAX_ERR_INVALID_ARGUMENT);
}

// Before the server has finished, the expected size is unknown and nothing was received.
TEST_CASE(byte_counters_before_the_download) {
    harness::reset_server();
    harness::admin_post("/_testserver/searches", R"({"outcome": "never_finish", "count": 1})");
    auto s = aurorax::search::conjunctions("2019-06-01T00:00:00", "2019-06-02T00:00:00",
                                           R"([{"programs": ["themis-asi"]}])", R"([{"programs": ["swarm"]}])", 500.0);
    harness::submitted(s);
    CHECK(!s.bytes_expected().has_value());
    CHECK_EQ(s.bytes_received(), 0);
    CHECK_THROWS_STATUS(s.data(), AURORAX_ERR_NOT_READY);
    CHECK_THROWS_STATUS(s.records(), AURORAX_ERR_NOT_READY);
    s.cancel();
}

// set_outage_tolerance: a negative, NaN or infinite value, or one over a week, throws
// AURORAX_ERR_INVALID_ARGUMENT (the status from aurorax_last_status); 0 and a week are taken.
// And the setting reaches the library: with no per-request retries, two 502s on the status
// polls fail a search under tolerance 0 (the v2 rule) and are outlasted under tolerance 30.
TEST_CASE(outage_tolerance_setting) {
    harness::reset_server();
    for (double bad : {-1.0, std::nan(""), HUGE_VAL, -HUGE_VAL, 604800.5}) {
        CHECK_THROWS_STATUS(aurorax::set_outage_tolerance(bad), AURORAX_ERR_INVALID_ARGUMENT);
        CHECK_EQ(aurorax_last_status(), AURORAX_ERR_INVALID_ARGUMENT);
    }
    aurorax::set_outage_tolerance(604800);
    aurorax::set_outage_tolerance(0);
    aurorax::set_max_retries(0);
    const auto search = [] {
        return aurorax::search::conjunctions("2019-02-01T00:00:00", "2019-02-02T23:59:59", R"([{"programs": ["themis-asi"]}])",
                                             R"([{"programs": ["swarm"]}])", 500.0);
    };
    const char *faults = R"({"route": "status", "fault": "http502", "count": 2})";
    harness::admin_post("/_testserver/faults", faults);
    auto v2 = search();
    bool failed = false;
    try {
        v2.wait(UNTIL_IT_ENDS);
    } catch (const aurorax::error &e) {
        failed = true;
        CHECK(e.status() != AURORAX_ERR_TIMEOUT);
    }
    CHECK(failed);  // tolerance 0, no retries: the first 502 ends it

    harness::reset_server();
    aurorax::set_outage_tolerance(30);
    harness::admin_post("/_testserver/faults", faults);
    auto tolerant = search();
    tolerant.wait(UNTIL_IT_ENDS);
    CHECK_EQ(tolerant.records().size(), 2u);
    aurorax::set_max_retries(6);
    aurorax::set_outage_tolerance(600);
}
