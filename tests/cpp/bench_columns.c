/* Seconds from a conjunction result in memory to all its flat fields as columns, from C:
 * the 7 flat fields of a conjunction record (conjunction_type, start, end, min_distance,
 * max_distance, closest_epoch, farthest_epoch) through aurorax_get_column_f64/_text, on a
 * fresh handle each repetition (the per-path cache starts empty). Run by
 * bindings/bench-columns.sh against the local server with result_count 20000 (156 MB).
 *   bench_columns [reps]     (AURORAX_API_URL names the server) */
#include <aurorax.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fail(const char *what) {
    fprintf(stderr, "%s: %s (%s)\n", what, aurorax_last_error(), aurorax_status_name(aurorax_last_status()));
    return 1;
}

int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 3;
    const char *numbers[] = {"/min_distance", "/max_distance"};
    const char *texts[] = {"/conjunction_type", "/start", "/end", "/closest_epoch", "/farthest_epoch"};
    double best = INFINITY;
    for (int r = 1; r <= reps; r++) {
        aurorax_search_t *s = aurorax_conjunctions_search_async("2019-01-01T00:00:00", "2019-12-31T23:59:59",
                                                                "[{\"programs\": [\"themis-asi\"]}]",
                                                                "[{\"programs\": [\"swarm\"]}]", 500);
        if (!s) return fail("search");
        if (aurorax_wait(s, 600) != AURORAX_OK) return fail("wait");
        int64_t n = aurorax_get_record_count(s);
        double *num = malloc((size_t)n * sizeof *num);
        const char **values = malloc((size_t)n * sizeof *values);
        int64_t *lengths = malloc((size_t)n * sizeof *lengths);
        double sum = 0;
        int64_t chars = 0;
        double t0 = now();
        for (size_t k = 0; k < sizeof numbers / sizeof *numbers; k++) {
            if (aurorax_get_column_f64(s, numbers[k], num, n) != n) return fail(numbers[k]);
            for (int64_t i = 0; i < n; i++) sum += num[i];
        }
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            if (aurorax_get_column_text(s, texts[k], values, lengths, n) != n) return fail(texts[k]);
            for (int64_t i = 0; i < n; i++) chars += lengths[i];
        }
        double t = now() - t0;
        if (t < best) best = t;
        printf("rep %d: 7 flat columns of %lld records (%.1f MB) from C: %.3f s (checksum %.1f, %lld chars)\n", r,
               (long long)n, aurorax_get_data_length(s) / 1e6, t, sum, (long long)chars);
        free(num);
        free(values);
        free(lengths);
        aurorax_free(s);
    }
    printf("best of %d: 7 flat columns from C: %.3f s\n", reps, best);
    aurorax_shutdown();
    return 0;
}
