// Columns (design.md §2.3): search::column_f64, column_text and column_json against the
// records they come from, their failures as exceptions with the library's status, and the
// views' lifetime.
#include "harness.hpp"

#include <cmath>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace {

aurorax::search month_of_conjunctions(int month) {
    char start[32], end[32];
    std::snprintf(start, sizeof start, "2019-%02d-01T00:00:00", month);
    std::snprintf(end, sizeof end, "2019-%02d-28T23:59:59", month);
    return aurorax::search::conjunctions(start, end, R"([{"programs": ["themis-asi"]}])", R"([{"programs": ["swarm"]}])", 500.0);
}

// The text after `"key":` in a compact record, up to its end (the local server writes no
// spaces): enough of a reader to check the library against, for flat fields only.
std::string_view raw_value(std::string_view record, const std::string &key) {
    const std::string needle = "\"" + key + "\":";
    const std::size_t at = record.find(needle);
    if (at == std::string_view::npos) return {};
    std::string_view rest = record.substr(at + needle.size());
    if (rest.empty()) return {};
    if (rest[0] == '"') return rest.substr(0, rest.find('"', 1) + 1);
    return rest.substr(0, rest.find_first_of(",}"));
}

}  // namespace

TEST_CASE(columns_match_the_records) {
    harness::reset_server();
    auto s = month_of_conjunctions(3);
    s.wait(UNTIL_IT_ENDS);
    const auto records = s.records();
    CHECK_EQ(records.size(), 28u);
    const auto whole = s.column_json("");
    CHECK_EQ(whole.size(), records.size());
    for (std::size_t i = 0; i < records.size(); ++i) CHECK(whole[i] && *whole[i] == records[i]);

    for (const char *key : {"min_distance", "max_distance"}) {
        const auto numbers = s.column_f64(std::string("/") + key);
        CHECK_EQ(numbers.size(), records.size());
        for (std::size_t i = 0; i < records.size(); ++i) {
            const std::string raw(raw_value(records[i], key));
            CHECK(!raw.empty());
            CHECK_EQ(numbers[i], std::strtod(raw.c_str(), nullptr));
        }
    }
    for (const char *key : {"conjunction_type", "start", "end", "closest_epoch", "farthest_epoch"}) {
        const auto texts = s.column_text(std::string("/") + key);
        const auto jsons = s.column_json(std::string("/") + key);
        CHECK_EQ(texts.size(), records.size());
        for (std::size_t i = 0; i < records.size(); ++i) {
            const std::string_view raw = raw_value(records[i], key);
            CHECK(texts[i].has_value() && jsons[i].has_value());
            if (!texts[i] || !jsons[i]) continue;
            CHECK_EQ(*jsons[i], raw);
            CHECK_EQ(*texts[i], raw.substr(1, raw.size() - 2));  // no escapes in these
        }
    }
    // nested values, indexes into arrays, and paths that are missing or of another type
    const auto programs = s.column_text("/data_sources/1/program");
    const auto first_event = s.column_json("/events/0");
    const auto event_distance = s.column_f64("/events/0/min_distance");
    const auto missing = s.column_text("/no_such_field");
    const auto past_the_end = s.column_json("/events/9999");
    const auto not_a_number = s.column_f64("/start");
    const auto not_a_string = s.column_text("/min_distance");
    for (std::size_t i = 0; i < records.size(); ++i) {
        CHECK(programs[i] && *programs[i] == "swarm");
        CHECK(first_event[i] && first_event[i]->front() == '{' && records[i].find(*first_event[i]) != std::string_view::npos);
        const std::string raw(raw_value(*first_event[i], "min_distance"));
        CHECK_EQ(event_distance[i], std::strtod(raw.c_str(), nullptr));
        CHECK(!missing[i] && !past_the_end[i] && !not_a_string[i]);
        CHECK(std::isnan(not_a_number[i]));
    }
    CHECK(std::isnan(s.column_f64("/nowhere").at(0)));
}

TEST_CASE(columns_throw_with_the_library_status) {
    harness::reset_server();
    auto s = month_of_conjunctions(4);
    s.wait(UNTIL_IT_ENDS);
    CHECK_THROWS_STATUS(s.column_f64("min_distance"), AURORAX_ERR_INVALID_ARGUMENT);  // no leading '/'
    CHECK_THROWS_STATUS(s.column_json(std::string("/start\0x", 8)), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_THROWS_STATUS(s.column_text("/\xff"), AURORAX_ERR_INVALID_ARGUMENT);        // not UTF-8

    harness::admin_post("/_testserver/searches", R"({"outcome": "never_finish", "count": 1})");
    auto pending = month_of_conjunctions(5);
    harness::submitted(pending);
    CHECK_THROWS_STATUS(pending.column_f64("/min_distance"), AURORAX_ERR_NOT_READY);
    CHECK_THROWS_STATUS(pending.column_json("/events"), AURORAX_ERR_NOT_READY);
    pending.cancel();
    CHECK_THROWS_STATUS(pending.column_text("/start"), AURORAX_ERR_CANCELLED);

    aurorax::search moved = std::move(s);
    CHECK_THROWS_STATUS(s.column_f64("/min_distance"), AURORAX_ERR_INVALID_ARGUMENT);  // NOLINT: moved-from
}

// The views are the handle's: valid after the search object is moved, and after other
// columns were asked for (each path is kept on the handle).
TEST_CASE(column_views_live_as_long_as_the_handle) {
    harness::reset_server();
    auto s = month_of_conjunctions(6);
    s.wait(UNTIL_IT_ENDS);
    const auto starts = s.column_text("/start");
    const auto events = s.column_json("/events");
    aurorax::search owner = std::move(s);
    for (int k = 0; k < 3; ++k) (void)owner.column_text("/end"), (void)owner.column_json("/data_sources");
    const auto again = owner.column_text("/start");
    CHECK_EQ(again.size(), starts.size());
    for (std::size_t i = 0; i < starts.size(); ++i) {
        CHECK(starts[i] && again[i] && *starts[i] == *again[i] && starts[i]->size() == 19);
        CHECK(events[i] && events[i]->front() == '[' && events[i]->back() == ']');
    }
}

TEST_CASE(save_writes_the_records_and_throws_with_the_status) {
    harness::reset_server();
    auto s = month_of_conjunctions(5);
    s.wait(UNTIL_IT_ENDS);
    const std::string dir = "/tmp/aurorax-cpp-save-" + std::to_string(static_cast<long>(getpid()));
    CHECK_EQ(std::system(("mkdir -p " + dir).c_str()), 0);
    s.save(dir + "/r.ndjson", 1);
    std::FILE *f = std::fopen((dir + "/r.ndjson").c_str(), "r");
    CHECK(f != nullptr);
    std::size_t lines = 0;
    for (int c; f && (c = std::fgetc(f)) != EOF;) lines += c == '\n';
    if (f) std::fclose(f);
    CHECK_EQ(lines, s.records().size());
    bool threw = false;
    try {
        s.save(dir + "/missing/r.json");
    } catch (const aurorax::error &e) {
        threw = e.status() == AURORAX_ERR_INVALID_ARGUMENT;
    }
    CHECK(threw);
    aurorax::set_spool_threshold(0);
    aurorax::set_spool_threshold(256LL << 20);
    CHECK_EQ(std::system(("rm -rf " + dir).c_str()), 0);
}
