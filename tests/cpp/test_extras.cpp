// The extras beyond design.md §2.2: data-source and availability lookups through the same
// search object, and the byte counters before any download.
#include "harness.hpp"

// The local server knows three low-earth-orbit sources (Swarm A, B, C).
TEST_CASE(data_sources_and_availability) {
    harness::reset_server();
    auto sources = aurorax::search::data_sources(R"({"source_type": "leo", "format": "basic_info"})");
    sources.wait(60);
    const auto records = sources.records();
    CHECK_EQ(records.size(), 3u);
    for (std::string_view r : records) CHECK(r.find("\"program\":\"swarm\"") != std::string_view::npos);
    CHECK_EQ(sources.phase(), AURORAX_PHASE_READY);
    // A lookup has no query to describe: refused, as aurorax.h says.
    CHECK_THROWS_STATUS(sources.describe(), AURORAX_ERR_INVALID_ARGUMENT);

    auto availability = aurorax::search::ephemeris_availability("2020-01-01", "2020-01-03", R"({"program": "swarm"})");
    availability.wait(60);
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
