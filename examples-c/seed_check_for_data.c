/* The seed workflow: start a conjunction search, do other things while it runs, check for
 * data now and then (answered from memory: no network call), then collect the records. */
#include <aurorax.h>
#include "example_util.h"

int main(void) {
    /* criteria blocks exactly as the seed writes them */
    const char *ground = "[{\"programs\": [\"themis-asi\"], \"ephemeris_metadata_filters\": "
        "[{\"key\": \"ml_cloud_v1\", \"operator\": \"=\", \"values\": [\"not classified as cloud\"]}]}]";
    const char *space = "[{\"programs\": [\"swarm\"], \"ephemeris_metadata_filters\": "
        "[{\"key\": \"nbtrace_region\", \"operator\": \"=\", \"values\": [\"north polar cap\"]}]}]";

    printf("libaurorax %s, API %s\n", aurorax_version(), api_url());
    aurorax_search_t *s = aurorax_conjunctions_search_async(
        "2019-01-01T00:00:00", "2019-12-31T23:59:59", ground, space, 300.0);
    if (!s) { fprintf(stderr, "%s\n", aurorax_last_error()); return 1; }

    /* do other useful things while waiting for results... */
    int ready, checks = 0;
    while ((ready = aurorax_check_for_data(s)) == 0) {
        checks++;
        nap_ms(100); /* the seed sleeps 10 s; any period works, checking costs nothing */
    }
    if (ready < 0) {
        fprintf(stderr, "%s: %s\n", aurorax_status_name(ready), aurorax_search_error(s));
        aurorax_free(s);
        aurorax_shutdown();
        return 1;
    }

    const char *json = aurorax_get_data(s); /* JSON array of conjunctions, owned by s */
    int printed = 0;
    long n = each_record(json, print_first, &printed);
    printf("request %s: %ld conjunctions (%lld bytes) after %d checks\n",
           aurorax_request_id(s), n, (long long)aurorax_get_data_length(s), checks);
    aurorax_free(s);
    aurorax_shutdown(); /* joins the engine's threads: nothing left behind at exit */
    return n > 0 ? 0 : 1;
}
