/* Starts a conjunction search, prints its request id as soon as the server has accepted
 * it, and exits without waiting. The search goes on on the server; attach.c (or anyone
 * holding the id, e.g. a later session of your analysis) collects it. */
#include <aurorax.h>
#include "example_util.h"

int main(void) {
    aurorax_search_t *s = aurorax_conjunctions_search_async("2020-03-01T00:00:00", "2020-03-07T23:59:59",
        "[{\"programs\": [\"themis-asi\"]}]", "[{\"programs\": [\"swarm\"]}]", 500.0);
    if (!s) { fprintf(stderr, "%s\n", aurorax_last_error()); return 1; }

    /* The id arrives with the server's answer to the submit; give it at most 60 s. */
    const char *id = NULL;
    for (int tries = 0; tries < 1200 && !(id = aurorax_request_id(s)); tries++) {
        if (aurorax_check_for_data(s) < 0) break;   /* refused or unreachable */
        nap_ms(50);
    }
    int rc = 0;
    if (id) printf("%s\n", id);   /* alone on stdout, for $(submit_only) */
    else {
        const char *why = aurorax_search_error(s);
        fprintf(stderr, "not submitted: %s\n", why ? why : "no answer within 60 s");
        rc = 1;
    }
    aurorax_free(s);      /* frees our handle only: the request keeps running on the server */
    aurorax_shutdown();
    return rc;
}
