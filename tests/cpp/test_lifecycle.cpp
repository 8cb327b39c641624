// The C++ API on searches that succeed: the seed workflow, records() as views, moved-from
// searches, bad input, and attaching to a request submitted by another search object.
#include "harness.hpp"

#include <optional>
#include <utility>

namespace {

// The seed's criteria blocks, verbatim.
const char *const GROUND = R"([{"programs": ["themis-asi"], "ephemeris_metadata_filters": [{"key": "ml_cloud_v1", "operator": "=", "values": ["not classified as cloud"]}]}])";
const char *const SPACE = R"([{"programs": ["swarm"], "ephemeris_metadata_filters": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}])";

aurorax::search january() {
    return aurorax::search::conjunctions("2019-01-01T00:00:00", "2019-01-31T23:59:59", GROUND, SPACE, 300.0);
}

}  // namespace

// The seed workflow: start, poll ready() (which never does I/O), then read the data.
TEST_CASE(seed_workflow) {
    harness::reset_server();
    auto s = aurorax::search::conjunctions("2019-01-01T00:00:00", "2019-12-31T23:59:59", GROUND, SPACE, 300.0);
    CHECK(harness::eventually([&] { return s.ready(); }, UNTIL_IT_ENDS));
    CHECK_EQ(s.phase(), AURORAX_PHASE_READY);
    CHECK_EQ(s.request_id().size(), 36u);  // a UUID
    CHECK_CONTAINS(s.request_url(), s.request_id());
    const std::string_view json = s.data();
    CHECK(json.size() > 2 && json.front() == '[' && json.back() == ']');
    // The local server gives one conjunction per day touched: 365 in 2019.
    CHECK_EQ(s.records().size(), 365u);
    CHECK_EQ(s.record_count(), 365);
    CHECK_CONTAINS(s.logs(), "Finished search");
    CHECK(!s.describe().empty());
}

// records() are views into data()'s buffer, in order, one JSON object each; they stay valid
// after the search object is moved and the moved-from object destroyed (the handle, and so
// the buffer, moves with it; AddressSanitizer reports a read of a freed buffer).
TEST_CASE(records_are_views_into_data) {
    harness::reset_server();
    std::optional<aurorax::search> holder;
    std::vector<std::string_view> records;
    std::string_view json;
    {
        auto s = aurorax::search::ephemeris("2019-01-01T00:00:00", "2019-01-01T23:59:59",
                                            R"({"programs": ["swarm"], "platforms": ["swarma"], "instrument_types": ["footprint"]})");
        s.wait(UNTIL_IT_ENDS);
        json = s.data();
        records = s.records();
        holder.emplace(std::move(s));
    }
    CHECK_EQ(records.size(), 144u);  // one record per 10 minutes of one day, one source
    const char *previous_end = json.data();
    for (std::string_view r : records) {
        CHECK(r.data() >= previous_end && r.data() + r.size() <= json.data() + json.size());
        CHECK(r.front() == '{' && r.back() == '}');
        CHECK(r.find("\"epoch\"") != std::string_view::npos);
        CHECK(r.find("swarma") != std::string_view::npos);
        previous_end = r.data() + r.size();
    }
    CHECK(holder->data().data() == json.data());
}

// A moved-from search is safe to destroy and to assign to; any other use throws
// AURORAX_ERR_INVALID_ARGUMENT instead of crashing.
TEST_CASE(moved_from_search) {
    harness::reset_server();
    auto a = january();
    aurorax::search b = std::move(a);
    CHECK(!a && b);
    CHECK_THROWS_STATUS(a.ready(), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_CONTAINS(CHECK_THROWS_STATUS(a.wait(1), AURORAX_ERR_INVALID_ARGUMENT), "moved from");
    CHECK_THROWS_STATUS(a.data(), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_THROWS_STATUS(a.records(), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_THROWS_STATUS(a.request_id(), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_THROWS_STATUS(a.cancel(), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_THROWS_STATUS(a.phase(), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_THROWS_STATUS((aurorax::wait_any({&a, &b}, 1)), AURORAX_ERR_INVALID_ARGUMENT);

    a = std::move(b);  // assigning to a moved-from search revives it
    CHECK(a && !b);
    aurorax::search &same = a;
    a = std::move(same);  // self-move-assignment keeps the search
    CHECK(a);
    a.wait(UNTIL_IT_ENDS);
    CHECK_EQ(a.records().size(), 31u);

    // Move-assigning over a live search frees its handle, as the destructor does. The
    // library knows freed handles (they are refused, not dereferenced), which shows it;
    // LeakSanitizer cannot, since the library's handle registry still reaches them.
    auto c = january();
    aurorax_search_t *replaced = c.handle();
    c = std::move(a);
    CHECK_EQ(aurorax_check_for_data(replaced), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_EQ(c.records().size(), 31u);
    aurorax_search_t *destroyed = nullptr;
    {
        auto d = january();
        destroyed = d.handle();
    }
    CHECK_EQ(aurorax_check_for_data(destroyed), AURORAX_ERR_INVALID_ARGUMENT);
}  // a and b are moved-from here: their destructors must be no-ops

// Bad input throws before anything is sent, naming the argument.
TEST_CASE(bad_input_throws) {
    CHECK_CONTAINS(CHECK_THROWS_STATUS(aurorax::search::conjunctions("2019-02-01T00:00:00", "2019-01-01T00:00:00",
                                                                      GROUND, SPACE, 300.0),
                                       AURORAX_ERR_INVALID_ARGUMENT),
                   "end");
    CHECK_CONTAINS(CHECK_THROWS_STATUS(aurorax::search::conjunctions("2019-01-01T00:00:00", "2019-01-02T00:00:00",
                                                                      GROUND, SPACE, -5.0),
                                       AURORAX_ERR_INVALID_ARGUMENT),
                   "default_distance_km");
    CHECK_THROWS_STATUS(aurorax::search::conjunctions_json("{not json"), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_THROWS_STATUS(aurorax::search::attach_conjunctions("not a request id"), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_THROWS_STATUS(aurorax::search::data_sources(R"({"colour": "green"})"), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_THROWS_STATUS(aurorax::set_poll_interval(-1), AURORAX_ERR_INVALID_ARGUMENT);
    // a NUL inside a std::string would cut the C string short: refused, not truncated
    const std::string start_then_junk("2019-01-01T00:00:00\0junk", 24);
    CHECK_CONTAINS(CHECK_THROWS_STATUS(aurorax::search::ephemeris(start_then_junk, "2019-01-01T06:00:00",
                                                                   R"({"programs": ["swarm"]})"),
                                       AURORAX_ERR_INVALID_ARGUMENT),
                   "start: holds a NUL");
}

// Another search object follows a request by its id and gets the same bytes; an id the
// server does not know, or of another kind, fails with the API's "not found".
TEST_CASE(attach_to_another_objects_request) {
    harness::reset_server();
    auto original = january();
    const std::string id = harness::submitted(original);
    auto attached = aurorax::search::attach_conjunctions(id);
    CHECK_EQ(attached.request_id(), id);
    attached.wait(UNTIL_IT_ENDS);
    original.wait(UNTIL_IT_ENDS);
    CHECK(attached.data() == original.data());
    CHECK_EQ(attached.records().size(), 31u);

    auto unknown = aurorax::search::attach_conjunctions("00000000-0000-4000-8000-000000000000");
    CHECK_CONTAINS(CHECK_THROWS_STATUS(unknown.wait(UNTIL_IT_ENDS), AURORAX_ERR_API), "No request with given request id");
    auto wrong_kind = aurorax::search::attach_ephemeris(id);
    CHECK_THROWS_STATUS(wrong_kind.wait(UNTIL_IT_ENDS), AURORAX_ERR_API);
}
