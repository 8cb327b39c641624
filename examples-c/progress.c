/* A progress display for a search with a large result: the phase as it changes, then a bar
 * of the bytes downloaded. Each progress call is an atomic read (no network I/O), so
 * polling it ten times a second costs nothing. */
#include <aurorax.h>
#include "example_util.h"
#include <unistd.h>

static const char *const PHASES[] = {"submitting", "running", "downloading", "ready"};

/* One line per 10% when stdout is a file or pipe (a log), an in-place bar on a terminal. */
static void show_bar(int64_t received, int64_t expected, int tty, int *last_decile) {
    if (expected <= 0) return;   /* size not known yet */
    const int percent = (int)(100 * received / expected);
    if (!tty && percent / 10 == *last_decile) return;
    *last_decile = percent / 10;
    char bar[41];
    memset(bar, ' ', 40);
    memset(bar, '#', (size_t)(percent * 40 / 100));
    bar[40] = '\0';
    printf("%s[%s] %3d%%  %.1f / %.1f MB%s", tty ? "\r" : "", bar, percent, received / 1e6, expected / 1e6,
           tty ? "" : "\n");
    fflush(stdout);
}

int main(void) {
    aurorax_search_t *s = aurorax_conjunctions_search_async("2019-01-01T00:00:00", "2019-12-31T23:59:59",
        "[{\"programs\": [\"themis-asi\"]}]", "[{\"programs\": [\"swarm\"]}]", 500.0);
    if (!s) { fprintf(stderr, "%s\n", aurorax_last_error()); return 1; }

    const int tty = isatty(STDOUT_FILENO);
    int last = -1, last_decile = -1, rc = 0;
    for (int tick = 0;; tick++, nap_ms(100)) {
        if (tick == 6000) { fprintf(stderr, "\nstill not ready after 10 minutes\n"); rc = 1; break; }
        const int phase = aurorax_get_phase(s);
        if (phase < 0) {   /* failed or cancelled: the phase is the status */
            fprintf(stderr, "\n%s: %s\n", aurorax_status_name(phase), aurorax_search_error(s));
            rc = 1;
            break;
        }
        if (phase != last && last == AURORAX_PHASE_DOWNLOADING) {   /* the download's final state */
            show_bar(aurorax_get_bytes_received(s), aurorax_get_bytes_expected(s), tty, &last_decile);
            if (tty) putchar('\n');
        }
        if (phase != last) {
            if (phase < last) { fprintf(stderr, "phase went back from %s to %s\n", PHASES[last], PHASES[phase]); rc = 1; }
            printf("phase: %s\n", PHASES[phase]);
            last = phase;
        }
        if (phase == AURORAX_PHASE_DOWNLOADING)
            show_bar(aurorax_get_bytes_received(s), aurorax_get_bytes_expected(s), tty, &last_decile);
        if (phase == AURORAX_PHASE_READY) break;
    }
    if (last == AURORAX_PHASE_READY) {
        printf("%lld records, %.1f MB\n", (long long)aurorax_get_record_count(s), aurorax_get_data_length(s) / 1e6);
    }
    aurorax_free(s);
    aurorax_shutdown();
    return rc;
}
