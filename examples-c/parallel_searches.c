/* Start a conjunction, an ephemeris and a data-product search together, then collect them
 * in the order they finish ("start a series of searches, and then go through each getting
 * the results back as they finish"). */
#include <aurorax.h>
#include "example_util.h"

#define N 3

int main(void) {
    const char *names[N] = {"conjunctions", "ephemeris", "data products"};
    aurorax_search_t *searches[N] = {
        aurorax_conjunctions_search_async("2020-01-01T00:00:00", "2020-01-07T23:59:59",
            "[{\"programs\": [\"themis-asi\"]}]", "[{\"programs\": [\"swarm\"]}]", 500.0),
        aurorax_ephemeris_search_async("2019-01-01T00:00:00", "2019-01-01T23:59:59",
            "{\"programs\": [\"swarm\"], \"platforms\": [\"swarma\"], \"instrument_types\": [\"footprint\"]}"),
        aurorax_data_products_search_async("2020-02-01T00:00:00", "2020-02-05T23:59:59",
            "{\"programs\": [\"trex\"], \"instrument_types\": [\"RGB ASI\"]}", "[\"keogram\"]"),
    };
    int failures = 0, pending = 0;
    for (int i = 0; i < N; i++) {
        if (searches[i]) pending++;
        else { fprintf(stderr, "%s: %s\n", names[i], aurorax_last_error()); failures++; }
    }

    for (int order = 1; pending > 0; nap_ms(20)) {
        for (int i = 0; i < N; i++) {
            if (!searches[i]) continue;
            int ready = aurorax_check_for_data(searches[i]);
            if (ready == 0) continue;
            if (ready == 1) {
                long n = each_record(aurorax_get_data(searches[i]), NULL, NULL);
                printf("%d. %s: %ld records\n", order++, names[i], n);
                if (n <= 0) failures++;
            } else {
                fprintf(stderr, "%s: %s\n", names[i], aurorax_search_error(searches[i]));
                failures++;
            }
            aurorax_free(searches[i]);
            searches[i] = NULL;
            pending--;
        }
    }
    aurorax_shutdown();
    return failures ? 1 : 0;
}
