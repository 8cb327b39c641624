// C++17 with <aurorax.hpp>: the seed search, its records as string_views, searches
// collected as they finish with aurorax::wait_any, and failures as exceptions.
// aurorax::search owns its handle (RAII): no aurorax_free, nothing to leak on a throw.
#include <aurorax.hpp>

#include <iostream>
#include <string>
#include <vector>

namespace {

// The seed's criteria blocks, verbatim.
const char *const GROUND = R"([{"programs": ["themis-asi"], "ephemeris_metadata_filters": [{"key": "ml_cloud_v1", "operator": "=", "values": ["not classified as cloud"]}]}])";
const char *const SPACE = R"([{"programs": ["swarm"], "ephemeris_metadata_filters": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}])";

struct engine_guard {  // joins the library's threads however main ends
    ~engine_guard() { aurorax::shutdown(); }
};

}  // namespace

int main() {
    engine_guard engine;
    try {
        // 1. The seed workflow. wait() throws aurorax::error on failure and on timeout.
        auto seed = aurorax::search::conjunctions("2019-01-01T00:00:00", "2019-12-31T23:59:59", GROUND, SPACE, 300.0);
        seed.wait(600);
        const auto records = seed.records();  // views into seed's buffer: valid while seed lives
        std::cout << "request " << seed.request_id() << ": " << records.size() << " conjunctions, "
                  << seed.data().size() << " bytes\n";
        if (records.empty()) return 1;
        std::cout << "first: " << records.front().substr(0, 200) << " ...\n";

        // 2. Several searches, collected in the order they finish.
        std::vector<aurorax::search> searches;
        searches.push_back(aurorax::search::ephemeris("2019-01-01T00:00:00", "2019-01-01T23:59:59",
                                                      R"({"programs": ["swarm"], "platforms": ["swarma"]})"));
        searches.push_back(aurorax::search::data_products("2020-02-01T00:00:00", "2020-02-05T23:59:59",
                                                          R"({"programs": ["trex"]})", R"(["keogram"])"));
        std::vector<const aurorax::search *> pending;
        for (const auto &s : searches) pending.push_back(&s);
        while (!pending.empty()) {
            const std::size_t i = aurorax::wait_any(pending, 600);
            std::cout << "finished: " << pending[i]->records().size() << " records\n";  // throws if it failed
            pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));  // an ended search stays ended
        }

        // 3. Bad input is an exception too, thrown before anything is sent.
        try {
            aurorax::search::conjunctions("2019-01-31T00:00:00", "2019-01-01T00:00:00", GROUND, SPACE, 300.0);
            std::cerr << "bad input was accepted\n";
            return 1;
        } catch (const aurorax::error &e) {
            std::cout << "refused as expected: " << e.what() << "\n";
            if (e.status() != AURORAX_ERR_INVALID_ARGUMENT) return 1;
        }
        return 0;
    } catch (const aurorax::error &e) {  // e.g. AURORAX_ERR_SEARCH_FAILED with the server's words
        std::cerr << e.status_name() << ": " << e.what() << "\n";
        return 1;
    }
}
