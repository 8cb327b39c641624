/*
 * libaurorax for C++17: a header-only layer over the C API in <aurorax.h>.
 *
 *   #include <aurorax.hpp>
 *
 *   auto s = aurorax::search::conjunctions("2019-01-01T00:00:00", "2019-12-31T23:59:59",
 *                                          ground_json, space_json, 300.0);
 *   s.wait(600);                                  // throws aurorax::error on failure or timeout
 *   for (std::string_view record : s.records())   // views into s's buffer
 *       use(record);
 *   std::vector<double> d = s.column_f64("/min_distance");   // NaN where null or missing
 *
 * The contract (design.md §2.2):
 * - Failures are exceptions of type aurorax::error (a std::runtime_error with the library's
 *   status code in status() and its message, server's words included, in what()). No member
 *   returns a raw status. status() is the number the library returned, or
 *   aurorax_last_status() for a call that returned NULL, or the handle's own status; it is
 *   never read from a message, so a server's wording cannot change it: branch on status().
 * - aurorax::search owns one search handle and frees it (aurorax_free) in its destructor.
 *   It is move-only. Views it hands out (data(), records(), column_text(), column_json())
 *   point into memory the handle owns:
 *   they stay valid until the handle is freed, i.e. until the search object that owns the
 *   handle — after any moves — is destroyed or assigned over.
 * - A moved-from search holds no handle. Destroying it or assigning to it is safe; every
 *   other member throws aurorax::error with status AURORAX_ERR_INVALID_ARGUMENT.
 * - Every member may be called from several threads at once (the C API is thread-safe),
 *   e.g. cancel() from one thread while another blocks in wait(); only destroying, moving
 *   or assigning a search must not race with any other use of it.
 *
 * Members and functions marked "Extra" go beyond design.md §2.2; they follow the same rules.
 */
#ifndef AURORAX_HPP
#define AURORAX_HPP

#include <aurorax.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aurorax {

/// A failure reported by libaurorax. what() is the library's message, e.g.
/// "AURORAX_ERR_SEARCH_FAILED: Search failed: database timeout", for people; status() is the
/// C status code (an aurorax_status_t value such as AURORAX_ERR_TIMEOUT or AURORAX_ERR_TLS),
/// always negative, for code: it comes from the library's return value or
/// aurorax_last_status(), never from the message.
class error : public std::runtime_error {
public:
    error(int status, const std::string &message) : std::runtime_error(message), status_(status) {}

    /// The C status code (aurorax_status_t), e.g. AURORAX_ERR_SEARCH_FAILED.
    int status() const noexcept { return status_; }

    /// Extra: the status's name, e.g. "AURORAX_ERR_TIMEOUT" (a static string).
    const char *status_name() const noexcept { return aurorax_status_name(status_); }

private:
    int status_;
};

namespace detail {

/// Builds an error for `status` from the best message available: the first non-empty of
/// `message`, else the status name alone.
inline error make_error(int status, const char *message) {
    if (message && *message) return error(status, message);
    return error(status, aurorax_status_name(status));
}

/// Throws the failure of this thread's last call that returned no handle or NULL: its status
/// is aurorax_last_status(), read at once after that call; the message is only carried.
[[noreturn]] inline void throw_last_error() {
    const int status = aurorax_last_status();
    throw make_error(status, aurorax_last_error());
}

/// Throws if `status` is a failure. The status is the number the library returned; nothing
/// is read from message text. The message is the one that explains this status: `handle`'s
/// own reason when the search itself ended with this status (a failed or cancelled search),
/// else this thread's last error when aurorax_last_status() is this status, else the status
/// name alone (a refusal the library returned without recording it).
inline void check(std::int64_t status, aurorax_search_t *handle) {
    if (status >= 0) return;
    const int code = static_cast<int>(status);  // statuses are small negative ints
    const int last = aurorax_last_status();     // before any further call can replace it
    const std::string last_message = last == code ? aurorax_last_error() : "";
    const char *why = nullptr;
    if (handle && aurorax_check_for_data(handle) == code) why = aurorax_search_error(handle);
    if (!why || !*why) why = last_message.c_str();
    throw make_error(code, why);
}

/// Throws the failure of a call on `handle` that returned NULL: the status is
/// aurorax_last_status(), read at once; the message as check() chooses it.
[[noreturn]] inline void throw_null_failure(aurorax_search_t *handle) {
    check(aurorax_last_status(), handle);
    throw make_error(AURORAX_ERR_INTERNAL, "AURORAX_ERR_INTERNAL: a call failed without a failure status");
}

/// `text` for a C call; a NUL inside it would silently cut the argument short there, so it
/// is refused like any other bad input, before anything is sent.
inline const char *arg(const std::string &text, const char *name) {
    if (text.find('\0') != std::string::npos)
        throw error(AURORAX_ERR_INVALID_ARGUMENT,
                    std::string("AURORAX_ERR_INVALID_ARGUMENT: ") + name + ": holds a NUL character");
    return text.c_str();
}

}  // namespace detail

/// One asynchronous AuroraX search (or an extra data-source/availability lookup), owning its
/// C handle. Create it with the static constructors; it submits on the library's engine
/// and returns at once. Move-only.
class search {
public:
    // --- starting a search (each throws aurorax::error with AURORAX_ERR_INVALID_ARGUMENT
    //     on bad input, before anything is sent; see aurorax.h for every argument) ---

    /// A conjunction search between ground and space criteria blocks, as the seed workflow:
    /// `start`/`end` UTC "YYYY-MM-DDTHH:MM:SS"; `ground_json`/`space_json` JSON arrays of
    /// criteria blocks ("[]" for none); `distance_km` the maximum distance for every pair.
    static search conjunctions(const std::string &start, const std::string &end, const std::string &ground_json,
                               const std::string &space_json, double distance_km) {
        return adopt(aurorax_conjunctions_search_async(detail::arg(start, "start"), detail::arg(end, "end"), detail::arg(ground_json, "ground_json"),
                                                       detail::arg(space_json, "space_json"), distance_km));
    }

    /// An ephemeris search: `data_sources_json` is an object with any of programs,
    /// platforms, instrument_types, ephemeris_metadata_filters; at most 31 days.
    static search ephemeris(const std::string &start, const std::string &end, const std::string &data_sources_json) {
        return adopt(aurorax_ephemeris_search_async(detail::arg(start, "start"), detail::arg(end, "end"), detail::arg(data_sources_json, "data_sources_json")));
    }

    /// A data-product search: `data_product_types_json` a JSON array such as
    /// ["keogram"] ("[]" for all types).
    static search data_products(const std::string &start, const std::string &end,
                                const std::string &data_sources_json, const std::string &data_product_types_json) {
        return adopt(aurorax_data_products_search_async(detail::arg(start, "start"), detail::arg(end, "end"), detail::arg(data_sources_json, "data_sources_json"),
                                                        detail::arg(data_product_types_json, "data_product_types_json")));
    }

    /// A conjunction search from a full request object (events, adhoc locations,
    /// max_distances, conjunction_types, precision, response_format), as the API documents it.
    static search conjunctions_json(const std::string &query_json) {
        return adopt(aurorax_conjunctions_search_async_json(detail::arg(query_json, "query_json")));
    }

    /// An ephemeris search from a full request object.
    static search ephemeris_json(const std::string &query_json) {
        return adopt(aurorax_ephemeris_search_async_json(detail::arg(query_json, "query_json")));
    }

    /// A data-product search from a full request object.
    static search data_products_json(const std::string &query_json) {
        return adopt(aurorax_data_products_search_async_json(detail::arg(query_json, "query_json")));
    }

    /// Follows a conjunction search submitted earlier (by this program, another one, or
    /// the AuroraX website) by its request id. A malformed id throws at once; an id the
    /// server does not know makes wait()/data() throw AURORAX_ERR_API ("not found").
    static search attach_conjunctions(const std::string &request_id) {
        return adopt(aurorax_conjunctions_search_attach(detail::arg(request_id, "request_id")));
    }

    /// As attach_conjunctions, for an ephemeris search.
    static search attach_ephemeris(const std::string &request_id) {
        return adopt(aurorax_ephemeris_search_attach(detail::arg(request_id, "request_id")));
    }

    /// As attach_conjunctions, for a data-product search.
    static search attach_data_products(const std::string &request_id) {
        return adopt(aurorax_data_products_search_attach(detail::arg(request_id, "request_id")));
    }

    /// Extra: the data sources matching a filter object such as
    /// {"program": "swarm", "format": "basic_info"} ("{}" for all); one record per source.
    static search data_sources(const std::string &filter_json = "{}") {
        return adopt(aurorax_data_sources_async(detail::arg(filter_json, "filter_json")));
    }

    /// Extra: per data source and day ("YYYY-MM-DD"), how many ephemeris records exist.
    static search ephemeris_availability(const std::string &start_date, const std::string &end_date,
                                         const std::string &filter_json = "{}") {
        return adopt(aurorax_ephemeris_availability_async(detail::arg(start_date, "start_date"), detail::arg(end_date, "end_date"), detail::arg(filter_json, "filter_json")));
    }

    /// Extra: per data source and day, how many data products exist.
    static search data_products_availability(const std::string &start_date, const std::string &end_date,
                                             const std::string &filter_json = "{}") {
        return adopt(
            aurorax_data_products_availability_async(detail::arg(start_date, "start_date"), detail::arg(end_date, "end_date"), detail::arg(filter_json, "filter_json")));
    }

    /// Extra: takes ownership of a handle from the C API (e.g. aurorax_*_search_async).
    /// A null handle throws this thread's aurorax_last_error().
    static search adopt(aurorax_search_t *handle) {
        if (!handle) detail::throw_last_error();
        return search(handle);
    }

    // --- ownership ---

    search(const search &) = delete;
    search &operator=(const search &) = delete;

    /// Takes `other`'s handle; `other` is left moved-from (see the file comment).
    search(search &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}

    /// Frees this search's handle (without cancelling it on the server) and takes
    /// `other`'s. Views from the old handle die with it. Self-assignment is a no-op.
    search &operator=(search &&other) noexcept {
        if (this != &other) {
            aurorax_free(handle_);
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }

    /// Frees the handle: local polling stops and views die, but the request is not
    /// cancelled on the server (call cancel() first for that). Threads blocked in wait()
    /// or wait_any() on it wake with AURORAX_ERR_CANCELLED.
    ~search() { aurorax_free(handle_); }

    // --- following it ---

    /// True when the data is in memory (data() will not block), false while the search
    /// runs. Throws the failure once the search has failed or was cancelled. Never does I/O.
    bool ready() const {
        const int rc = aurorax_check_for_data(handle());
        detail::check(rc, handle_);
        return rc == 1;
    }

    /// Sleeps until the data is in memory. `timeout_seconds` <= 0 means no limit. Throws
    /// aurorax::error with AURORAX_ERR_TIMEOUT when the time passes (the search goes on;
    /// wait again), or with the search's failure (AURORAX_ERR_SEARCH_FAILED with the
    /// server's words, AURORAX_ERR_CANCELLED, ...).
    void wait(double timeout_seconds = 0) const {
        const int rc = aurorax_wait(handle(), timeout_seconds);
        if (rc == AURORAX_ERR_TIMEOUT) {
            throw error(rc, "AURORAX_ERR_TIMEOUT: the search did not finish within " + std::to_string(timeout_seconds) +
                                " s; it goes on (wait again, or cancel it)");
        }
        detail::check(rc, handle_);
    }

    /// The result: the JSON array of records exactly as the API sent it. Blocks while a
    /// completed search's result is still downloading; throws AURORAX_ERR_NOT_READY before
    /// the search has completed, or the search's failure. The view stays valid until the
    /// handle is freed.
    std::string_view data() const {
        const std::int64_t length = aurorax_get_data_length(handle());
        detail::check(length, handle_);
        const char *json = aurorax_get_data(handle_);
        if (!json) detail::throw_null_failure(handle_);  // not expected once the length is known
        return std::string_view(json, static_cast<std::size_t>(length));
    }

    /// The records of the result, each a view of its JSON object inside data()'s buffer
    /// (found by the library; no JSON parser needed). Blocks and throws as data() does.
    /// The views stay valid until the handle is freed.
    std::vector<std::string_view> records() const {
        data();  // blocks while downloading, throws on failure
        const std::int64_t count = aurorax_get_record_count(handle_);
        detail::check(count, handle_);
        std::vector<std::string_view> out;
        out.reserve(static_cast<std::size_t>(count));
        for (std::int64_t i = 0; i < count; ++i) {
            std::int64_t length = -1;
            const char *record = aurorax_get_record(handle_, i, &length);
            if (!record || length < 0) detail::throw_null_failure(handle_);
            out.emplace_back(record, static_cast<std::size_t>(length));
        }
        return out;
    }

    /// Writes the result to the file `path` (design.md §2.3): `format` 0 the JSON array of
    /// records, 1 NDJSON (one record per line), under a temporary name renamed when
    /// complete. Blocks as data() does; throws aurorax::error with the status (a file that
    /// cannot be written: AURORAX_ERR_INVALID_ARGUMENT naming it).
    void save(const std::string &path, int format = 0) const {
        const char *p = detail::arg(path, "path");
        detail::check(aurorax_save_data(handle_, p, format), handle_);
    }

    /// Columns (design.md §2.3): the records' values at the JSON Pointer `path` (RFC 6901,
    /// e.g. "/min_distance", "/data_sources/0/program", "/events"), one entry per record in
    /// record order, read by the library straight from each record's text (no JSON parser
    /// needed; a path asked once is kept on the handle). Numbers as double: true and false
    /// as 1 and 0, NaN where the value is null, missing or not a number. Blocks and throws
    /// as data() does (AURORAX_ERR_NOT_READY before the search has completed); a path that
    /// does not start with '/' (or holds a NUL) throws AURORAX_ERR_INVALID_ARGUMENT.
    std::vector<double> column_f64(const std::string &path) const {
        data();  // blocks while downloading, throws on failure
        const char *p = detail::arg(path, "path");
        const std::int64_t count = aurorax_get_column_f64(handle_, p, nullptr, 0);
        detail::check(count, handle_);
        std::vector<double> out(static_cast<std::size_t>(count));
        if (count > 0) detail::check(aurorax_get_column_f64(handle_, p, out.data(), count), handle_);
        return out;
    }

    /// The records' strings at `path`, unescaped UTF-8, each a view
    /// owned by the handle (valid until it is freed, like records()); std::nullopt where the
    /// value is null, missing or not a string. Blocks and throws as column_f64().
    std::vector<std::optional<std::string_view>> column_text(const std::string &path) const {
        return column_slices(path, aurorax_get_column_text);
    }

    /// The records' values at `path` as JSON text, whatever their type, each a view of its
    /// record (valid until the handle is freed); std::nullopt where the value is missing (a
    /// null is the text "null"). "" is the whole record. Blocks and throws as column_f64().
    std::vector<std::optional<std::string_view>> column_json(const std::string &path) const {
        return column_slices(path, aurorax_get_column_json);
    }

    /// The server's request id (a UUID) once the search has been submitted; "" before.
    std::string request_id() const {
        const char *id = aurorax_request_id(handle());
        return id ? id : "";
    }

    /// Stops the search: waiters wake with AURORAX_ERR_CANCELLED, and the library deletes
    /// the request on the server in the background if the server is still running it. A
    /// search whose data is already in memory is left as is. Returns at once.
    void cancel() { detail::check(aurorax_cancel(handle()), nullptr); }

    /// The phase, for progress displays: AURORAX_PHASE_SUBMITTING (0), _RUNNING (1),
    /// _DOWNLOADING (2) or _READY (3). Throws the failure once the search has failed or
    /// was cancelled. Never does I/O.
    int phase() const {
        const int rc = aurorax_get_phase(handle());
        detail::check(rc, handle_);
        return rc;
    }

    // --- extras ---

    /// Extra: result bytes received so far (0 before the download starts).
    std::int64_t bytes_received() const {
        const std::int64_t n = aurorax_get_bytes_received(handle());
        detail::check(n, handle_);
        return n;
    }

    /// Extra: the result's expected size in bytes, or no value while it is unknown
    /// (before the server has finished, or when the server does not say).
    std::optional<std::int64_t> bytes_expected() const {
        const std::int64_t n = aurorax_get_bytes_expected(handle());
        if (n < 0) return std::nullopt;
        return n;
    }

    /// Extra: the number of records, without building views. Blocks and throws as data().
    std::int64_t record_count() const {
        data();
        const std::int64_t count = aurorax_get_record_count(handle_);
        detail::check(count, handle_);
        return count;
    }

    /// Extra: the server's plain-language description of the query. The first call asks
    /// the server (bounded by the request timeout), then the text is cached.
    std::string describe() const {
        const char *text = aurorax_describe(handle());
        if (!text) detail::throw_null_failure(handle_);
        return text;
    }

    /// Extra: the request's status URL once submitted; "" before.
    std::string request_url() const {
        const char *url = aurorax_request_url(handle());
        return url ? url : "";
    }

    /// Extra: the latest status document as the API sent it; "" before the first one.
    std::string status_json() const {
        const char *status = aurorax_get_status(handle());
        return status ? status : "";
    }

    /// Extra: the request's log entries, a JSON array ("[]" before the first status).
    std::string logs() const {
        const char *logs = aurorax_get_logs(handle());
        return logs ? logs : "[]";
    }

    /// Extra: the C handle, still owned by this object (for C functions this header does
    /// not wrap). Throws on a moved-from search. Do not aurorax_free it.
    aurorax_search_t *handle() const {
        if (!handle_)
            throw error(AURORAX_ERR_INVALID_ARGUMENT,
                        "AURORAX_ERR_INVALID_ARGUMENT: this aurorax::search was moved from and holds no search");
        return handle_;
    }

    /// Extra: false for a moved-from search.
    explicit operator bool() const noexcept { return handle_ != nullptr; }

private:
    using column_slices_fn = std::int64_t (*)(aurorax_search_t *, const char *, const char **, std::int64_t *, std::int64_t);

    std::vector<std::optional<std::string_view>> column_slices(const std::string &path, column_slices_fn fn) const {
        data();  // blocks while downloading, throws on failure
        const char *p = detail::arg(path, "path");
        const std::int64_t count = fn(handle_, p, nullptr, nullptr, 0);
        detail::check(count, handle_);
        const auto n = static_cast<std::size_t>(count);
        std::vector<const char *> values(n);
        std::vector<std::int64_t> lengths(n);
        if (count > 0) detail::check(fn(handle_, p, values.data(), lengths.data(), count), handle_);
        std::vector<std::optional<std::string_view>> out(n);
        for (std::size_t i = 0; i < n; ++i)
            if (values[i] && lengths[i] >= 0) out[i] = std::string_view(values[i], static_cast<std::size_t>(lengths[i]));
        return out;
    }

    explicit search(aurorax_search_t *handle) noexcept : handle_(handle) {}

    aurorax_search_t *handle_;
};

/// Sleeps until one of `searches` has ended — data ready, failed or cancelled — and returns
/// its index (the lowest, if several have). A failed search counts as ended: wait_any does
/// not throw its failure; the search's own wait()/data() does. Since an ended search stays
/// ended, drop it from the vector before calling again. `timeout_seconds` <= 0 means no
/// limit. Throws AURORAX_ERR_TIMEOUT when none ended in time, and
/// AURORAX_ERR_INVALID_ARGUMENT for an empty vector or a null or moved-from entry.
inline std::size_t wait_any(const std::vector<const search *> &searches, double timeout_seconds) {
    if (searches.empty() || searches.size() > static_cast<std::size_t>(INT_MAX))
        throw error(AURORAX_ERR_INVALID_ARGUMENT, "AURORAX_ERR_INVALID_ARGUMENT: wait_any needs 1 to INT_MAX searches");
    std::vector<aurorax_search_t *> handles;
    handles.reserve(searches.size());
    for (const search *s : searches) {
        if (!s) throw error(AURORAX_ERR_INVALID_ARGUMENT, "AURORAX_ERR_INVALID_ARGUMENT: wait_any got a null search");
        handles.push_back(s->handle());  // throws for a moved-from search
    }
    const int rc = aurorax_wait_any(handles.data(), static_cast<int>(handles.size()), timeout_seconds);
    if (rc == AURORAX_ERR_TIMEOUT) {
        throw error(rc, "AURORAX_ERR_TIMEOUT: none of " + std::to_string(searches.size()) + " searches ended within " +
                            std::to_string(timeout_seconds) + " s; they go on");
    }
    detail::check(rc, nullptr);
    return static_cast<std::size_t>(rc);
}

// --- process-wide settings (extras; each applies to searches created afterwards and
//     throws aurorax::error with AURORAX_ERR_INVALID_ARGUMENT for a bad value) ---

/// Extra: the library's version, e.g. "0.2.0".
inline std::string version() { return aurorax_version(); }

/// Extra: the API's base URL (default https://api.aurorax.space, or AURORAX_API_URL).
inline void set_api_url(const std::string &base_url) { detail::check(aurorax_set_api_url(detail::arg(base_url, "base_url")), nullptr); }

/// Extra: the API key sent with searches ("" clears it; default AURORAX_API_KEY).
inline void set_api_key(const std::string &api_key) { detail::check(aurorax_set_api_key(detail::arg(api_key, "api_key")), nullptr); }

/// Trusts the CA certificates of a PEM file on top of the operating system's store, for
/// searches created afterwards (an institution's CA, or the one a TLS-inspecting proxy signs
/// with; default: AURORAX_CA_BUNDLE). The file is read now: a missing or unreadable file, or
/// one holding no PEM certificate, throws AURORAX_ERR_INVALID_ARGUMENT. A server whose
/// certificate is still not trusted fails its search with AURORAX_ERR_TLS.
inline void set_ca_bundle(const std::string &pem_path) {
    detail::check(aurorax_set_ca_bundle(detail::arg(pem_path, "pem_path")), nullptr);
}

/// Removes the bundle set by set_ca_bundle or AURORAX_CA_BUNDLE: searches created afterwards
/// trust the operating system's store alone.
inline void clear_ca_bundle() { detail::check(aurorax_set_ca_bundle(nullptr), nullptr); }

/// Extra: the upper bound of the adaptive status-poll interval, in seconds (default 5).
inline void set_poll_interval(double max_seconds) { detail::check(aurorax_set_poll_interval(max_seconds), nullptr); }

/// Extra: the timeout of one HTTP request, in seconds (default 30).
inline void set_request_timeout(double seconds) { detail::check(aurorax_set_request_timeout(seconds), nullptr); }

/// Extra: how often one request is retried on a transient fault (default 6).
inline void set_max_retries(int max_retries) { detail::check(aurorax_set_max_retries(max_retries), nullptr); }

/// How long a search the server holds survives an outage, in seconds, for searches created
/// afterwards (default 600, or AURORAX_OUTAGE_TOLERANCE): its failed polls, download and
/// look-ups are retried until none has succeeded for this long, then it fails naming its
/// request id (search::attach_conjunctions etc. collect it later). 0 keeps the per-request
/// rule of set_max_retries.
/// A negative, NaN or infinite value, or one over a week (604800), throws
/// AURORAX_ERR_INVALID_ARGUMENT.
inline void set_outage_tolerance(double seconds) { detail::check(aurorax_set_outage_tolerance(seconds), nullptr); }

/// Extra: the largest result accepted, in bytes (<= 0: no cap, the default).
inline void set_max_result_bytes(std::int64_t bytes) { detail::check(aurorax_set_max_result_bytes(bytes), nullptr); }
/// Results larger than `bytes` go to an unlinked, mapped temporary file (AURORAX_SPOOL_DIR,
/// else the system's); <= 0: always in memory. Default 256 MiB.
inline void set_spool_threshold(std::int64_t bytes) { detail::check(aurorax_set_spool_threshold(bytes), nullptr); }

/// Extra: -1 off, 0 errors ... 3 debug; lines go to stderr (default from AURORAX_LOG).
inline void set_log_level(int level) { detail::check(aurorax_set_log_level(level), nullptr); }

/// Extra: stops the library's engine and joins its threads (before dlclose or fork, or at
/// the end of main so leak checkers see a quiet process). Running searches end
/// AURORAX_ERR_CANCELLED; the next search starts the engine again.
inline void shutdown() noexcept { aurorax_shutdown(); }

}  // namespace aurorax

#endif  // AURORAX_HPP
