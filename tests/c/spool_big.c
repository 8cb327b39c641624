/* A result larger than memory should hold: tests/c_program.rs makes the local server
 * answer with about 2 GB and sets AURORAX_SPOOL_DIR. With a 64 MiB spool threshold the
 * result goes to an unlinked file as it arrives; this program waits for it, saves it as
 * NDJSON, prints its peak RSS so far (VmHWM), then checks that the records, a column and
 * every NDJSON line still agree with the result. Usage: spool_big NDJSON_PATH */
#include <aurorax.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); return 1; } } while (0)

static long peak_rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) kib = strtol(line + 6, NULL, 10);
    if (f) fclose(f);
    return kib;
}

int main(int argc, char **argv) {
    CHECK(argc == 2, "usage: spool_big NDJSON_PATH");
    CHECK(aurorax_set_spool_threshold(64LL << 20) == AURORAX_OK, "threshold");
    aurorax_search_t *s = aurorax_conjunctions_search_async(
        "2019-01-01T00:00:00", "2019-01-31T23:59:59", "[{\"programs\": [\"themis-asi\"]}]",
        "[{\"programs\": [\"swarm\"]}]", 500.0);
    CHECK(s, "search_async: %s", aurorax_last_error());
    int rc = aurorax_wait(s, 1800.0);
    CHECK(rc == AURORAX_OK, "wait: %s (%s)", aurorax_status_name(rc), aurorax_search_error(s));
    CHECK(aurorax_save_data(s, argv[1], 1) == AURORAX_OK, "save: %s", aurorax_last_error());
    long peak = peak_rss_kib();
    int64_t n = aurorax_get_record_count(s), length = aurorax_get_data_length(s);
    printf("peak_rss_kib %ld\nrecords %lld\nbytes %lld\n", peak, (long long)n, (long long)length);
    fflush(stdout);

    /* the records, a column and the data pointer still work */
    const char *json = aurorax_get_data(s);
    CHECK(json && json[0] == '[' && json[length - 1] == ']' && json[length] == '\0', "get_data");
    CHECK(aurorax_get_column_f64(s, "/min_distance", NULL, 0) == n, "column count");
    double first_last[1];
    CHECK(aurorax_get_column_f64(s, "/min_distance", first_last, 1) == n && first_last[0] >= 0, "column");
    /* every NDJSON line is its record, byte for byte */
    FILE *f = fopen(argv[1], "r");
    CHECK(f, "cannot open %s", argv[1]);
    size_t cap = 1 << 20;
    char *line = malloc(cap);
    int64_t i = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, f)) > 0) {
        int64_t len;
        const char *record = aurorax_get_record(s, i, &len);
        CHECK(record && got == len + 1 && memcmp(line, record, (size_t)len) == 0 && line[len] == '\n',
              "line %lld differs from its record", (long long)i);
        i++;
    }
    CHECK(i == n, "%lld lines for %lld records", (long long)i, (long long)n);
    free(line);
    fclose(f);
    printf("lines_checked %lld\n", (long long)i);
    aurorax_free(s);
    aurorax_shutdown();
    return 0;
}
