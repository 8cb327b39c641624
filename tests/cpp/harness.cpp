// The harness's main (runs one named test case) and its admin HTTP client.
#include "harness.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace harness {

namespace {

/// Splits "http://127.0.0.1:PORT" into address and port; the local server is loopback only.
void parse_url(const std::string &url, std::string &host, int &port) {
    const std::string scheme = "http://";
    if (url.compare(0, scheme.size(), scheme) != 0) throw std::runtime_error("AURORAX_API_URL is not http://: " + url);
    const std::string rest = url.substr(scheme.size());
    const auto colon = rest.find(':');
    if (colon == std::string::npos) throw std::runtime_error("AURORAX_API_URL has no port: " + url);
    host = rest.substr(0, colon);
    port = std::atoi(rest.c_str() + colon + 1);
}

}  // namespace

void admin_post(const std::string &path, const std::string &body) {
    const char *url = std::getenv("AURORAX_API_URL");
    if (!url) throw std::runtime_error("AURORAX_API_URL is not set (run under the CTest fixture)");
    std::string host;
    int port = 0;
    parse_url(url, host, port);

    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    timeval limit{10, 0};  // every wait is bounded, this one too
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1 ||
        ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot connect to the local server at " + std::string(url));
    }
    const std::string request = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n" +
                                "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    const bool sent = ::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size());
    std::string answer;
    char buffer[4096];
    for (ssize_t n; sent && (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, static_cast<size_t>(n));
    ::close(fd);
    if (answer.compare(0, 12, "HTTP/1.1 200") != 0)
        throw std::runtime_error("POST " + path + " " + body + " was refused: " + answer.substr(0, 300));
}

}  // namespace harness

int main(int argc, char **argv) {
    if (argc != 2 || !harness::registry().count(argv[1])) {
        std::cerr << "usage: " << argv[0] << " TEST\ntests:";
        for (const auto &test : harness::registry()) std::cerr << " " << test.first;
        std::cerr << "\n";
        return 2;
    }
    try {
        harness::registry()[argv[1]]();
    } catch (const aurorax::error &e) {
        harness::fail(__FILE__, __LINE__, std::string("unexpected aurorax::error ") + e.status_name() + ": " + e.what());
    } catch (const std::exception &e) {
        harness::fail(__FILE__, __LINE__, std::string("unexpected exception: ") + e.what());
    }
    // Join the engine's threads so LeakSanitizer sees a quiet process.
    aurorax::shutdown();
    std::cout << argv[1] << ": " << (harness::failures() ? "FAILED" : "passed") << "\n";
    return harness::failures() ? 1 : 0;
}
