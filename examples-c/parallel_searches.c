/* Start a conjunction, an ephemeris and a data-product search together, then collect them
 * in the order they finish ("start a series of searches, and then go through each getting
 * the results back as they finish"). aurorax_wait_any sleeps until one of them has ended
 * (ready, failed or cancelled) and says which: no polling loop. */
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

    /* The searches still running, and their names: wait_any takes a plain array. */
    aurorax_search_t *pending[N];
    const char *pending_names[N];
    int failures = 0, n = 0;
    for (int i = 0; i < N; i++) {
        if (searches[i]) { pending[n] = searches[i]; pending_names[n++] = names[i]; }
        else { fprintf(stderr, "%s: %s\n", names[i], aurorax_last_error()); failures++; }
    }

    for (int order = 1; n > 0; order++) {
        const int i = aurorax_wait_any(pending, n, 600);   /* at most 10 minutes for the next one */
        if (i < 0) {   /* AURORAX_ERR_TIMEOUT: none ended in time; they go on */
            fprintf(stderr, "wait_any: %s\n", aurorax_status_name(i));
            failures++;
            break;
        }
        if (aurorax_check_for_data(pending[i]) == 1) {
            const int64_t records = aurorax_get_record_count(pending[i]);
            printf("%d. %s: %lld records\n", order, pending_names[i], (long long)records);
            if (records <= 0) failures++;
        } else {
            fprintf(stderr, "%s: %s\n", pending_names[i], aurorax_search_error(pending[i]));
            failures++;
        }
        aurorax_free(pending[i]);
        /* An ended search stays ended, so drop it before waiting again (keeping the order). */
        for (int j = i; j + 1 < n; j++) { pending[j] = pending[j + 1]; pending_names[j] = pending_names[j + 1]; }
        n--;
    }
    for (int j = 0; j < n; j++) aurorax_free(pending[j]);   /* left after a timeout */
    aurorax_shutdown();
    return failures ? 1 : 0;
}
