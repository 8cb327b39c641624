// The C++ API and trust: the CA bundle setting, a search over HTTPS, and a server whose
// certificate is not trusted. The HTTPS cases run against a second local server started with
// --tls (its URL and CA come from scripts/local-server/with-url.sh: AURORAX_API_URL and
// AURORAX_CA_BUNDLE); tests/cpp/expect-http2.sh checks its traffic afterwards.
#include "harness.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <unistd.h>

// The file is read at the call: a missing file, an empty path or one without a PEM
// certificate throws AURORAX_ERR_INVALID_ARGUMENT there, before anything is sent.
TEST_CASE(ca_bundle_setting_checks_the_file) {
    const std::string missing = "/nonexistent-dir/no-such-ca.pem";
    CHECK_CONTAINS(CHECK_THROWS_STATUS(aurorax::set_ca_bundle(missing), AURORAX_ERR_INVALID_ARGUMENT), "no-such-ca.pem");
    CHECK_EQ(aurorax_last_status(), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_THROWS_STATUS(aurorax::set_ca_bundle(""), AURORAX_ERR_INVALID_ARGUMENT);
    CHECK_THROWS_STATUS(aurorax::set_ca_bundle(std::string("ca.pem\0x", 8)), AURORAX_ERR_INVALID_ARGUMENT);
    char path[] = "/tmp/aurorax-not-pem-XXXXXX";
    const int fd = mkstemp(path);
    CHECK(fd >= 0);
    {
        std::ofstream out(path);
        out << "not a certificate\n";
    }
    CHECK_THROWS_STATUS(aurorax::set_ca_bundle(path), AURORAX_ERR_INVALID_ARGUMENT);
    std::remove(path);
    if (fd >= 0) ::close(fd);
    aurorax::clear_ca_bundle();  // no bundle: no error
    // the refused bundles changed nothing: a plain HTTP search still works
    auto s = aurorax::search::conjunctions("2019-02-01T00:00:00", "2019-02-02T23:59:59", R"([{"programs": ["themis-asi"]}])",
                                           R"([{"programs": ["swarm"]}])", 500.0);
    s.wait(UNTIL_IT_ENDS);
    CHECK_EQ(s.records().size(), 2u);
}

namespace {

aurorax::search https_search() {
    const char *url = std::getenv("AURORAX_API_URL");
    if (!url || std::string(url).rfind("https://localhost:", 0) != 0)
        throw std::runtime_error("run under the TLS fixture: AURORAX_API_URL is not https://localhost:PORT");
    return aurorax::search::conjunctions("2019-01-01T00:00:00", "2019-12-31T23:59:59",
                                         R"([{"programs": ["themis-asi"]}])", R"([{"programs": ["swarm"]}])", 300.0);
}

}  // namespace

// The seed search over HTTPS, trusting the test CA through AURORAX_CA_BUNDLE (set by
// with-url.sh for a --tls server). expect-http2.sh then reads the server's stats: HTTP/2.0
// requests, no HTTP/1.1 one.
TEST_CASE(https_search_over_http2) {
    const char *bundle = std::getenv("AURORAX_CA_BUNDLE");
    CHECK(bundle && *bundle);
    auto s = https_search();
    s.wait(UNTIL_IT_ENDS);
    CHECK_EQ(s.records().size(), 365u);
    CHECK(s.request_url().rfind("https://localhost:", 0) == 0);
}

// Without the test CA (the bundle from AURORAX_CA_BUNDLE removed) the server's certificate is
// not trusted: the search fails with AURORAX_ERR_TLS, naming the host (tests/https.rs counts
// the one handshake: never retried).
TEST_CASE(https_without_the_ca_is_a_tls_error) {
    aurorax::clear_ca_bundle();
    auto s = https_search();
    CHECK_CONTAINS(CHECK_THROWS_STATUS(s.wait(UNTIL_IT_ENDS), AURORAX_ERR_TLS), "localhost");
    CHECK_THROWS_STATUS(s.ready(), AURORAX_ERR_TLS);
    CHECK_THROWS_STATUS(s.data(), AURORAX_ERR_TLS);
    CHECK_EQ(std::string(aurorax_status_name(AURORAX_ERR_TLS)), std::string("AURORAX_ERR_TLS"));
}
