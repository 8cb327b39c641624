/* The seed search, blocking: aurorax_wait sleeps until the data is in memory. */
#include <aurorax.h>
#include "example_util.h"

int main(void) {
    const char *ground = "[{\"programs\": [\"themis-asi\"], \"ephemeris_metadata_filters\": "
        "[{\"key\": \"ml_cloud_v1\", \"operator\": \"=\", \"values\": [\"not classified as cloud\"]}]}]";
    const char *space = "[{\"programs\": [\"swarm\"], \"ephemeris_metadata_filters\": "
        "[{\"key\": \"nbtrace_region\", \"operator\": \"=\", \"values\": [\"north polar cap\"]}]}]";

    aurorax_search_t *s = aurorax_conjunctions_search_async(
        "2019-01-01T00:00:00", "2019-12-31T23:59:59", ground, space, 300.0);
    if (!s) { fprintf(stderr, "%s\n", aurorax_last_error()); return 1; }

    int rc = aurorax_wait(s, 0); /* 0: no time limit */
    if (rc != AURORAX_OK) {
        fprintf(stderr, "%s: %s\n", aurorax_status_name(rc), aurorax_search_error(s));
    } else {
        int printed = 0;
        long n = each_record(aurorax_get_data(s), print_first, &printed);
        printf("%ld conjunctions\n", n);
        if (n <= 0) rc = 1;
    }
    aurorax_free(s);
    aurorax_shutdown();
    return rc == AURORAX_OK ? 0 : 1;
}
