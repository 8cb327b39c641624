/* One handle shared by many threads: every getter called at once while the search runs and
 * after it is ready, every pointer kept and read again at the end (a use-after-free shows
 * under AddressSanitizer or valgrind); cancel and free from one thread while others wait
 * on the handle (they must return AURORAX_ERR_CANCELLED). Run by tests/c_program.rs under
 * valgrind, AddressSanitizer and ThreadSanitizer. Exits non-zero on any unexpected status. */
#include <aurorax.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#define READERS 6
#define KEPT 4096

static const char *GROUND = "[{\"programs\": [\"themis-asi\"]}]";
static const char *SPACE = "[{\"programs\": [\"swarm\"]}]";

static aurorax_search_t *start(void) {
    aurorax_search_t *s = aurorax_conjunctions_search_async("2019-01-01T00:00:00", "2019-01-03T00:00:00", GROUND, SPACE, 500.0);
    if (!s) { fprintf(stderr, "start: %s\n", aurorax_last_error()); exit(2); }
    return s;
}

struct reader { aurorax_search_t *s; const char *kept[KEPT]; int n; long failures; };

static void keep(struct reader *r, const char *p) {
    if (p && r->n < KEPT) r->kept[r->n++] = p;
}

static void *read_everything(void *arg) {
    struct reader *r = arg;
    int after_ready = 0;
    while (after_ready < 20) {
        if (aurorax_check_for_data(r->s) == 1) after_ready++;
        int phase = aurorax_get_phase(r->s);
        if (phase < 0) { fprintf(stderr, "phase %d\n", phase); r->failures++; }
        if (aurorax_get_bytes_received(r->s) < 0) r->failures++;
        keep(r, aurorax_get_status(r->s));
        keep(r, aurorax_get_logs(r->s));
        keep(r, aurorax_request_id(r->s));
        keep(r, aurorax_request_url(r->s));
        keep(r, aurorax_search_error(r->s));
        if (phase == AURORAX_PHASE_READY) {
            keep(r, aurorax_get_data(r->s));
            int64_t count = aurorax_get_record_count(r->s), length = 0;
            if (count <= 0) { fprintf(stderr, "record count %lld\n", (long long)count); r->failures++; }
            const char *first = aurorax_get_record(r->s, 0, &length);
            if (!first || length <= 0 || first[0] != '{') r->failures++;
        }
        nap_ms(2);
    }
    return NULL;
}

struct waiter { aurorax_search_t *s; int rc; };

static void *wait_forever(void *arg) {
    struct waiter *w = arg;
    w->rc = aurorax_wait(w->s, 0); /* no limit: only the other thread's cancel/free ends it */
    return NULL;
}

static void *wait_any_forever(void *arg) {
    struct waiter *w = arg;
    aurorax_search_t *one[1] = {w->s};
    w->rc = aurorax_wait_any(one, 1, 0);
    return NULL;
}

/* Starts `n` waiters on a long search, then ends it with `end` from this thread. */
static long ends_every_waiter(void (*end)(aurorax_search_t *), void *(*how)(void *), const char *what) {
    aurorax_search_t *s = start();
    /* running on the server before the waiters start, so a cancel owes it a DELETE */
    for (int i = 0; !aurorax_request_id(s) && i < UNTIL_IT_ENDS * 100; i++) nap_ms(10);
    struct waiter w[3];
    pthread_t t[3];
    for (int i = 0; i < 3; i++) { w[i].s = s; w[i].rc = 1; pthread_create(&t[i], NULL, how, &w[i]); }
    nap_ms(200);
    end(s);
    long failures = 0;
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        int expected = how == wait_any_forever ? 0 : AURORAX_ERR_CANCELLED;
        if (w[i].rc != expected) { fprintf(stderr, "%s: waiter got %d\n", what, w[i].rc); failures++; }
    }
    return failures;
}

static void cancel_then_free(aurorax_search_t *s) { aurorax_cancel(s); nap_ms(50); aurorax_free(s); }
static void free_only(aurorax_search_t *s) { aurorax_free(s); }

static long every_getter_at_once(size_t *bytes) {
    long failures = 0;
    aurorax_search_t *s = start();
    struct reader *readers = calloc(READERS, sizeof *readers);
    pthread_t t[READERS];
    for (int i = 0; i < READERS; i++) { readers[i].s = s; pthread_create(&t[i], NULL, read_everything, &readers[i]); }
    for (int i = 0; i < READERS; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < READERS; i++) {
        failures += readers[i].failures;
        for (int k = 0; k < readers[i].n; k++) *bytes += strlen(readers[i].kept[k]); /* all still valid */
    }
    aurorax_free(s);
    free(readers);
    return failures;
}

/* Without arguments: readers on a search that becomes ready (run against a quick server).
 * With --waits: waiters on searches that never end by themselves (a slow server), ended by
 * cancel or free from another thread. */
int main(int argc, char **argv) {
    long failures = 0;
    size_t bytes = 0;
    if (argc > 1 && strcmp(argv[1], "--waits") == 0) {
        failures += ends_every_waiter(cancel_then_free, wait_forever, "cancel");
        failures += ends_every_waiter(free_only, wait_forever, "free");
        failures += ends_every_waiter(free_only, wait_any_forever, "free under wait_any");
    } else {
        failures += every_getter_at_once(&bytes);
    }
    aurorax_shutdown();
    printf("shared handles: %d readers, %zu bytes re-read, %ld failures\n", READERS, bytes, failures);
    return failures ? 1 : 0;
}
