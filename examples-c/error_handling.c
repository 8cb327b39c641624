/* What can go wrong and how it is reported: bad input (refused before anything is sent),
 * a search the server fails, a wait that times out, a cancelled search.
 * With --expect-failed-search the program checks that the server failed the first search
 * (the CTest fixture arranges that on the local server). */
#include <aurorax.h>
#include "example_util.h"

static int problems = 0;

#define EXPECT(cond, ...) do { if (!(cond)) { fprintf(stderr, "UNEXPECTED: " __VA_ARGS__); fputc('\n', stderr); problems++; } } while (0)

static const char *GROUND = "[{\"programs\": [\"themis-asi\"]}]";
static const char *SPACE = "[{\"programs\": [\"swarm\"]}]";

static void refused(aurorax_search_t *s, const char *argument) {
    EXPECT(s == NULL, "bad %s was accepted", argument);
    if (s) { aurorax_free(s); return; }
    const char *why = aurorax_last_error();
    printf("refused: %s\n", why);
    EXPECT(strstr(why, argument) != NULL, "message does not name %s", argument);
}

int main(int argc, char **argv) {
    const int expect_failed_search = argc > 1 && strcmp(argv[1], "--expect-failed-search") == 0;

    /* 1. A search the server runs and fails: the wait ends at once with its message. */
    aurorax_search_t *s = aurorax_conjunctions_search_async("2019-02-01T00:00:00", "2019-02-02T00:00:00", GROUND, SPACE, 500.0);
    int rc = aurorax_wait(s, 300);
    if (rc == AURORAX_ERR_SEARCH_FAILED) printf("failed on the server: %s\n", aurorax_search_error(s));
    else printf("search ended with %s\n", aurorax_status_name(rc));
    if (expect_failed_search) EXPECT(rc == AURORAX_ERR_SEARCH_FAILED, "got %s", aurorax_status_name(rc));
    EXPECT(rc == AURORAX_ERR_SEARCH_FAILED ? aurorax_get_data(s) == NULL : rc == AURORAX_OK, "get_data disagrees with wait");
    aurorax_free(s);

    /* 2. Bad input: NULL, never-dates, reversed range, bad JSON, too many blocks. */
    refused(aurorax_conjunctions_search_async(NULL, "2019-01-02T00:00:00", GROUND, SPACE, 500.0), "start");
    refused(aurorax_conjunctions_search_async("2019-02-30T00:00:00", "2019-03-02T00:00:00", GROUND, SPACE, 500.0), "start");
    refused(aurorax_conjunctions_search_async("2019-01-02T00:00:00", "2019-01-01T00:00:00", GROUND, SPACE, 500.0), "end");
    refused(aurorax_conjunctions_search_async("2019-01-01T00:00:00", "2019-01-02T00:00:00", "[{\"programs\": ", SPACE, 500.0), "ground_json");
    refused(aurorax_conjunctions_search_async("2019-01-01T00:00:00", "2019-01-02T00:00:00", GROUND, SPACE, -1.0), "default_distance_km");
    char eleven[1024] = "[";
    for (int i = 0; i < 11; i++) strcat(eleven, i ? ",{\"programs\": [\"swarm\"]}" : "{\"programs\": [\"swarm\"]}");
    strcat(eleven, "]");
    refused(aurorax_conjunctions_search_async("2019-01-01T00:00:00", "2019-01-02T00:00:00", GROUND, eleven, 500.0), "at most 10");

    /* 3. A wait with a timeout: TIMEOUT says nothing about the search, which goes on. */
    s = aurorax_conjunctions_search_async("2019-03-01T00:00:00", "2019-03-31T23:59:59", GROUND, SPACE, 500.0);
    rc = aurorax_wait(s, 0.05);
    printf("wait(0.05 s): %s\n", aurorax_status_name(rc));
    EXPECT(rc == AURORAX_ERR_TIMEOUT, "a 50 ms wait returned %s", aurorax_status_name(rc));
    rc = aurorax_check_for_data(s); /* 0 running, 1 done: not ended by the timeout */
    EXPECT(rc == 0 || rc == 1, "the timeout ended the search: %s", aurorax_status_name(rc));

    /* 4. Cancel: polling stops, the server is told, waiters get CANCELLED. A search that
     *    had already ended keeps its outcome (here OK, if it finished before the cancel). */
    rc = aurorax_cancel(s);
    EXPECT(rc == AURORAX_OK, "cancel: %s", aurorax_last_error());
    rc = aurorax_wait(s, 0);
    printf("after cancel: %s (%s)\n", aurorax_status_name(rc), rc ? aurorax_search_error(s) : "its data is kept");
    EXPECT(rc == AURORAX_ERR_CANCELLED || (rc == AURORAX_OK && aurorax_get_data(s) != NULL),
           "wait after cancel returned %s", aurorax_status_name(rc));
    aurorax_free(s);

    /* 5. A freed handle is an error, not a crash. */
    EXPECT(aurorax_check_for_data(s) == AURORAX_ERR_INVALID_ARGUMENT, "freed handle accepted");

    aurorax_shutdown();
    printf("%s\n", problems ? "some outcomes were unexpected" : "every error was reported as expected");
    return problems ? 1 : 0;
}
