// C++17: a search handle owned by std::unique_ptr, status codes turned into exceptions.
#include <aurorax.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace aurorax {

class error : public std::runtime_error {
public:
    error(int status, const char *message)
        : std::runtime_error(std::string(aurorax_status_name(status)) + ": " + (message ? message : "")),
          status_(status) {}
    int status() const noexcept { return status_; }

private:
    int status_;
};

struct search_deleter {
    void operator()(aurorax_search_t *s) const noexcept { aurorax_free(s); }
};

class search {
public:
    static search conjunctions(const std::string &start, const std::string &end, const std::string &ground,
                               const std::string &space, double distance_km) {
        return search(aurorax_conjunctions_search_async(start.c_str(), end.c_str(), ground.c_str(),
                                                        space.c_str(), distance_km));
    }

    bool ready() const {
        int rc = aurorax_check_for_data(handle_.get());
        if (rc < 0) throw error(rc, aurorax_search_error(handle_.get()));
        return rc == 1;
    }

    void wait(std::chrono::duration<double> timeout = std::chrono::duration<double>::zero()) const {
        int rc = aurorax_wait(handle_.get(), timeout.count());
        if (rc != AURORAX_OK) {
            const char *why = rc == AURORAX_ERR_TIMEOUT ? "timed out" : aurorax_search_error(handle_.get());
            throw error(rc, why);
        }
    }

    // Valid as long as this search object lives.
    std::string_view data() const {
        const char *json = aurorax_get_data(handle_.get());
        if (!json) throw error(AURORAX_ERR_NOT_READY, aurorax_last_error());
        return std::string_view(json, static_cast<size_t>(aurorax_get_data_length(handle_.get())));
    }

    std::string request_id() const {
        const char *id = aurorax_request_id(handle_.get());
        return id ? id : "";
    }

private:
    explicit search(aurorax_search_t *s) : handle_(s) {
        if (!s) throw error(AURORAX_ERR_INVALID_ARGUMENT, aurorax_last_error());
    }
    std::unique_ptr<aurorax_search_t, search_deleter> handle_;
};

struct engine_guard {  // joins the engine's threads when main returns
    ~engine_guard() { aurorax_shutdown(); }
};

}  // namespace aurorax

int main() {
    aurorax::engine_guard engine;
    try {
        auto s = aurorax::search::conjunctions("2019-01-01T00:00:00", "2019-01-31T23:59:59",
                                               R"([{"programs": ["themis-asi"]}])",
                                               R"([{"programs": ["swarm"], "hemisphere": ["northern"]}])", 500.0);
        s.wait(std::chrono::minutes(10));
        auto json = s.data();
        std::cout << "request " << s.request_id() << ": " << json.size() << " bytes of conjunctions\n";

        try {  // bad input is an exception too, thrown before anything is sent
            aurorax::search::conjunctions("2019-01-31T00:00:00", "2019-01-01T00:00:00", "[]", "[]", 500.0);
            std::cerr << "bad input was accepted\n";
            return 1;
        } catch (const aurorax::error &e) {
            std::cout << "refused as expected: " << e.what() << "\n";
            if (e.status() != AURORAX_ERR_INVALID_ARGUMENT) return 1;
        }
        return json.size() > 2 ? 0 : 1;
    } catch (const aurorax::error &e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
}
