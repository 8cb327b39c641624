/* Collects a search submitted earlier — by submit_only.c, another program, or the AuroraX
 * website — from its request id, and prints how many records it found.
 * Usage: attach REQUEST_ID [conjunctions|ephemeris|data_products]   (default conjunctions) */
#include <aurorax.h>
#include "example_util.h"

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s REQUEST_ID [conjunctions|ephemeris|data_products]\n", argv[0]);
        return 2;
    }
    const char *id = argv[1], *kind = argc == 3 ? argv[2] : "conjunctions";
    aurorax_search_t *s;
    if (strcmp(kind, "conjunctions") == 0) s = aurorax_conjunctions_search_attach(id);
    else if (strcmp(kind, "ephemeris") == 0) s = aurorax_ephemeris_search_attach(id);
    else if (strcmp(kind, "data_products") == 0) s = aurorax_data_products_search_attach(id);
    else { fprintf(stderr, "unknown kind '%s'\n", kind); return 2; }
    if (!s) { fprintf(stderr, "%s\n", aurorax_last_error()); return 1; }   /* a malformed id: nothing sent */

    /* The search may still be running on the server: wait for it, 10 minutes at most.
     * An id the server does not know ends here with AURORAX_ERR_API ("not found"). */
    int rc = aurorax_wait(s, 600);
    if (rc == AURORAX_OK) {
        printf("request %s: %lld records\n", aurorax_request_id(s), (long long)aurorax_get_record_count(s));
    } else {
        fprintf(stderr, "%s: %s\n", aurorax_status_name(rc),
                rc == AURORAX_ERR_TIMEOUT ? "still running after 600 s" : aurorax_search_error(s));
    }
    aurorax_free(s);
    aurorax_shutdown();
    return rc == AURORAX_OK ? 0 : 1;
}
