// The C++ API and trust: the CA bundle setting, a search over HTTPS, and a server whose
// certificate is not trusted. The HTTPS cases run against a second local server started with
// --tls (its URL and CA come from scripts/local-server/with-url.sh: AURORAX_API_URL and
// AURORAX_CA_BUNDLE); tests/cpp/expect-http2.sh checks its traffic afterwards.
#include "harness.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>

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
    s.wait(60);
    CHECK_EQ(s.records().size(), 2u);
}
