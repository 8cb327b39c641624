/* Many threads creating, checking, waiting on, cancelling and freeing handles at once,
 * plus hostile calls. Run by tests/c_program.rs under valgrind and (with clang) ASan.
 * Exits non-zero on any unexpected status. */
#include <aurorax.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

#define THREADS 8
#define ROUNDS 6

static const char *GROUND = "[{\"programs\": [\"themis-asi\"]}]";
static const char *SPACE = "[{\"programs\": [\"swarm\"]}]";

static aurorax_search_t *shared_handle; /* read by every thread while alive */

static void *worker(void *arg) {
    long id = (long)arg;
    long failures = 0;
    for (int round = 0; round < ROUNDS; round++) {
        char start[32], end[32];
        snprintf(start, sizeof start, "2019-%02ld-%02dT00:00:00", 1 + id % 12, 1 + round);
        snprintf(end, sizeof end, "2019-%02ld-%02dT23:59:59", 1 + id % 12, 1 + round);
        aurorax_search_t *s = aurorax_conjunctions_search_async(start, end, GROUND, SPACE, 500.0);
        if (!s) { fprintf(stderr, "thread %ld: %s\n", id, aurorax_last_error()); failures++; continue; }
        (void)aurorax_check_for_data(shared_handle); /* concurrent reads of one handle */
        switch ((id + round) % 4) {
        case 0: /* wait and read */
            if (aurorax_wait(s, UNTIL_IT_ENDS) != AURORAX_OK || !aurorax_get_data(s)) {
                fprintf(stderr, "thread %ld: wait: %s\n", id, aurorax_search_error(s)); failures++;
            }
            break;
        case 1: { /* cancel at once */
            int rc = aurorax_cancel(s);
            int w = aurorax_wait(s, UNTIL_IT_ENDS);
            if (rc != AURORAX_OK || (w != AURORAX_ERR_CANCELLED && w != AURORAX_OK)) {
                fprintf(stderr, "thread %ld: cancel %d wait %d\n", id, rc, w); failures++;
            }
            break;
        }
        case 2: /* free while it runs */
            break;
        default: { /* poll, then timeouts, then read */
            int spins = 0;
            /* 5 ms naps, as many as make UNTIL_IT_ENDS */
            while (aurorax_check_for_data(s) == 0 && spins++ < UNTIL_IT_ENDS * 200) {
                (void)aurorax_get_logs(s);
                (void)aurorax_get_status(s);
                nap_ms(5);
            }
            if (aurorax_get_data_length(s) <= 0) { fprintf(stderr, "thread %ld: length\n", id); failures++; }
        }
        }
        aurorax_free(s);
        /* after free: an error, not a crash */
        if (aurorax_check_for_data(s) != AURORAX_ERR_INVALID_ARGUMENT) failures++;
        if (aurorax_ephemeris_search_async("bad", "worse", "{") != NULL) failures++;
    }
    return (void *)failures;
}

int main(void) {
    shared_handle = aurorax_conjunctions_search_async("2019-01-01T00:00:00", "2019-01-02T00:00:00", GROUND, SPACE, 100.0);
    if (!shared_handle) { fprintf(stderr, "%s\n", aurorax_last_error()); return 1; }
    pthread_t threads[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&threads[i], NULL, worker, (void *)i);
    long failures = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(threads[i], &r);
        failures += (long)r;
    }
    if (aurorax_wait(shared_handle, UNTIL_IT_ENDS) != AURORAX_OK) failures++;
    aurorax_free(shared_handle);
    aurorax_shutdown();
    printf("stress: %d threads x %d rounds, %ld failures\n", THREADS, ROUNDS, failures);
    return failures ? 1 : 0;
}
