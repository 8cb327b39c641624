/* The seed workflow of design.md §1, verbatim in spirit, as a C user writes it.
 * Run by tests/c_program.rs under valgrind against the local server (AURORAX_API_URL). */
#include <aurorax.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); return 1; } } while (0)

int main(void) {
    const char *ground = "[{\"programs\": [\"themis-asi\"], \"ephemeris_metadata_filters\": "
        "[{\"key\": \"ml_cloud_v1\", \"operator\": \"=\", \"values\": [\"not classified as cloud\"]}]}]";
    const char *space  = "[{\"programs\": [\"swarm\"], \"ephemeris_metadata_filters\": "
        "[{\"key\": \"nbtrace_region\", \"operator\": \"=\", \"values\": [\"north polar cap\"]}]}]";

    aurorax_search_t *s = aurorax_conjunctions_search_async(
        "2019-01-01T00:00:00", "2019-12-31T23:59:59", ground, space, 300.0);
    CHECK(s, "search_async: %s", aurorax_last_error());

    int ready, loops = 0;
    while ((ready = aurorax_check_for_data(s)) == 0) {
        nap_ms(20);
        CHECK(++loops < UNTIL_IT_ENDS * 50, "no data before the hang bound");
    }
    CHECK(ready == 1, "check_for_data: %s (%s)", aurorax_status_name(ready), aurorax_search_error(s));

    const char *json = aurorax_get_data(s);
    CHECK(json, "get_data: %s", aurorax_last_error());
    CHECK(json[0] == '[' && (int64_t)strlen(json) == aurorax_get_data_length(s), "bad data");
    CHECK(strstr(json, "\"themis-asi\"") != NULL, "records do not mention the ground program");
    printf("request %s: %lld bytes of conjunctions\n", aurorax_request_id(s), (long long)aurorax_get_data_length(s));

    /* Hostile calls must be errors, never crashes. */
    CHECK(aurorax_conjunctions_search_async(NULL, NULL, NULL, NULL, 0) == NULL, "NULL accepted");
    CHECK(strstr(aurorax_last_error(), "start") != NULL, "message does not name the argument");
    CHECK(aurorax_wait(NULL, 1) == AURORAX_ERR_INVALID_ARGUMENT, "NULL handle accepted");

    aurorax_free(s);
    CHECK(aurorax_check_for_data(s) == AURORAX_ERR_INVALID_ARGUMENT, "freed handle accepted");
    aurorax_free(NULL);
    aurorax_shutdown();
    return 0;
}
