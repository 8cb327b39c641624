// A small test harness for the C++ API tests: named test cases run one per process
// (`aurorax_cpp_tests NAME`, one CTest test each), assertions that report and count
// instead of aborting, bounded polling, and a tiny HTTP client for the local server's
// admin endpoint (/_testserver/), so a test can arrange failing or never-ending searches.
#ifndef AURORAX_CPP_TEST_HARNESS_HPP
#define AURORAX_CPP_TEST_HARNESS_HPP

#include <aurorax.hpp>

#include <chrono>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

// Seconds: the bound of a wait whose end comes from the search itself; it only stops a
// wait that would otherwise hang, so a busy machine cannot break it.
constexpr double UNTIL_IT_ENDS = 300;

namespace harness {

inline int &failures() {
    static int count = 0;
    return count;
}

inline std::map<std::string, std::function<void()>> &registry() {
    static std::map<std::string, std::function<void()>> tests;
    return tests;
}

struct registrar {
    registrar(const char *name, std::function<void()> body) { registry().emplace(name, std::move(body)); }
};

inline void fail(const char *file, int line, const std::string &what) {
    std::cerr << file << ":" << line << ": FAILED: " << what << "\n";
    ++failures();
}

using clock = std::chrono::steady_clock;

inline double seconds_since(clock::time_point start) {
    return std::chrono::duration<double>(clock::now() - start).count();
}

inline void nap(double seconds) { std::this_thread::sleep_for(std::chrono::duration<double>(seconds)); }

/// Polls `done` every 10 ms for at most `limit_seconds`; true if it became true in time.
inline bool eventually(const std::function<bool()> &done, double limit_seconds) {
    const auto start = clock::now();
    while (!done()) {
        if (seconds_since(start) > limit_seconds) return false;
        nap(0.01);
    }
    return true;
}

/// POSTs `body` to the local server's admin `path` (e.g. "/_testserver/searches");
/// the server's URL comes from AURORAX_API_URL, as the library's does. Throws on any
/// failure: an arrangement that did not happen would make the test meaningless.
void admin_post(const std::string &path, const std::string &body);

/// Clears the server's faults, arranged outcomes and config overrides, so a test does not
/// inherit what an earlier (maybe failed) test arranged.
inline void reset_server() { admin_post("/_testserver/reset", "{}"); }

/// Waits (bounded) until `s` has its request id, i.e. the server has accepted the POST.
/// Tests that arrange "the next submitted search" submit one search at a time this way,
/// since the engine sends concurrent submissions in no fixed order.
inline std::string submitted(const aurorax::search &s, double limit_seconds = UNTIL_IT_ENDS) {
    std::string id;
    if (!eventually([&] { return !(id = s.request_id()).empty(); }, limit_seconds))
        throw std::runtime_error("the search was not submitted within " + std::to_string(limit_seconds) + " s");
    return id;
}

}  // namespace harness

#define TEST_CASE(name)                                                     \
    static void test_##name();                                              \
    static harness::registrar registrar_##name(#name, test_##name);         \
    static void test_##name()

#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (!(cond)) harness::fail(__FILE__, __LINE__, "CHECK(" #cond ")");             \
    } while (0)

#define CHECK_EQ(a, b)                                                                  \
    do {                                                                                \
        const auto &check_a_ = (a);                                                     \
        const auto &check_b_ = (b);                                                     \
        if (!(check_a_ == check_b_)) {                                                  \
            std::ostringstream check_out_;                                              \
            check_out_ << #a " == " #b " (" << check_a_ << " vs " << check_b_ << ")";   \
            harness::fail(__FILE__, __LINE__, check_out_.str());                        \
        }                                                                               \
    } while (0)

/// Runs `expr`, which must throw aurorax::error with `expected_status`; evaluates to the
/// message (empty if nothing or something else was thrown, which is recorded as a failure).
#define CHECK_THROWS_STATUS(expr, expected_status)                                                  \
    ([&]() -> std::string {                                                                         \
        try {                                                                                       \
            (void)(expr);                                                                           \
        } catch (const aurorax::error &e) {                                                         \
            if (e.status() != (expected_status))                                                    \
                harness::fail(__FILE__, __LINE__,                                                   \
                              std::string(#expr " threw ") + e.status_name() + " (" + e.what() +   \
                                  "), expected " + aurorax_status_name(expected_status));           \
            return e.what();                                                                        \
        } catch (const std::exception &e) {                                                         \
            harness::fail(__FILE__, __LINE__, std::string(#expr " threw a non-aurorax exception: ") + e.what()); \
            return "";                                                                              \
        }                                                                                           \
        harness::fail(__FILE__, __LINE__, std::string(#expr " did not throw ") + aurorax_status_name(expected_status)); \
        return "";                                                                                  \
    }())

#define CHECK_CONTAINS(haystack, needle)                                                                \
    do {                                                                                                \
        const std::string check_h_(haystack);                                                           \
        if (check_h_.find(needle) == std::string::npos)                                                 \
            harness::fail(__FILE__, __LINE__, std::string("'") + check_h_ + "' does not contain '" + (needle) + "'"); \
    } while (0)

#endif
