/* A search that outlives a closed laptop: tests/c_program.rs stops this process (SIGSTOP)
 * for 60 s while the search runs on the server, then continues it. The search must go on
 * and complete; no wait may return early or with a wrong status. */
#include <aurorax.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); return 1; } } while (0)

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(void) {
    const char *ground = "[{\"programs\": [\"themis-asi\"]}]";
    const char *space = "[{\"programs\": [\"swarm\"]}]";
    aurorax_search_t *s = aurorax_conjunctions_search_async(
        "2019-01-01T00:00:00", "2019-01-31T23:59:59", ground, space, 500.0);
    CHECK(s, "search_async: %s", aurorax_last_error());
    /* a short wait times out while the server is still searching */
    CHECK(aurorax_wait(s, 0.5) == AURORAX_ERR_TIMEOUT, "a 0.5 s wait did not time out");
    while (!aurorax_request_id(s)) {
        CHECK(aurorax_wait(s, 0.05) == AURORAX_ERR_TIMEOUT, "ended before its id: %s", aurorax_search_error(s));
    }
    printf("submitted %s\n", aurorax_request_id(s));
    fflush(stdout);
    /* the test stops the process somewhere in here, for 60 s */
    double started = now();
    int rc = aurorax_wait(s, 600.0);
    double waited = now() - started;
    CHECK(rc == AURORAX_OK, "wait: %s (%s) after %.1f s", aurorax_status_name(rc), aurorax_search_error(s), waited);
    CHECK(aurorax_check_for_data(s) == 1, "wait said OK but the data is not in");
    CHECK(aurorax_get_record_count(s) > 0, "no records");
    printf("ready after %.1f s: %lld records\n", waited, (long long)aurorax_get_record_count(s));
    aurorax_free(s);
    aurorax_shutdown();
    return 0;
}
