/* What the C test programs share: the bound on their waits and a short sleep. */
#ifndef AURORAX_TEST_UTIL_H
#define AURORAX_TEST_UTIL_H

#include <time.h>

/* Seconds: ends only a wait that would otherwise hang, long enough for any machine (valgrind
 * or a sanitizer on a busy one included), the same bound as every other test's. */
#define UNTIL_IT_ENDS 300

static inline void nap_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

#endif
