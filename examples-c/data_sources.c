/* Lists the data sources matching a filter, picks the first one, and runs a one-day
 * ephemeris search with its program and platform: how to find valid names for the
 * criteria blocks without leaving C.
 * Usage: data_sources [FILTER_JSON]   (default {"source_type": "leo"}: low-earth-orbit satellites) */
#include <aurorax.h>
#include "example_util.h"

/* Copies the string value of "key" in one record (a JSON object, not NUL-terminated) into
 * out; 0 if absent. Enough for the flat basic_info records; use a JSON library for more. */
static int field(const char *record, int64_t length, const char *key, char *out, size_t size) {
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"%s\"", key);
    const size_t k = strlen(quoted);
    for (const char *p = record; p + k < record + length; p++) {
        if (memcmp(p, quoted, k) != 0) continue;
        p += k;
        while (p < record + length && (*p == ' ' || *p == ':')) p++;
        if (p >= record + length || *p != '"') return 0;   /* not a string value */
        size_t n = 0;
        for (p++; p < record + length && *p != '"' && n + 1 < size; p++) out[n++] = *p;
        out[n] = '\0';
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    const char *filter = argc > 1 ? argv[1] : "{\"source_type\": \"leo\", \"format\": \"basic_info\"}";

    /* Same lifecycle as a search: one GET on the engine, then wait / records / free. */
    aurorax_search_t *sources = aurorax_data_sources_async(filter);
    if (!sources) { fprintf(stderr, "%s\n", aurorax_last_error()); return 1; }
    int rc = aurorax_wait(sources, 120);
    if (rc != AURORAX_OK) {
        fprintf(stderr, "data sources: %s: %s\n", aurorax_status_name(rc), aurorax_search_error(sources));
        aurorax_free(sources);
        aurorax_shutdown();
        return 1;
    }
    const int64_t count = aurorax_get_record_count(sources);
    printf("%lld data sources match %s\n", (long long)count, filter);
    char program[64] = "", platform[64] = "";
    for (int64_t i = 0; i < count; i++) {
        int64_t length;
        const char *record = aurorax_get_record(sources, i, &length);   /* a slice, valid until free */
        char name[64] = "?", prog[64] = "?", plat[64] = "?", type[64] = "?";
        field(record, length, "display_name", name, sizeof name);
        field(record, length, "program", prog, sizeof prog);
        field(record, length, "platform", plat, sizeof plat);
        field(record, length, "instrument_type", type, sizeof type);
        printf("  %-16s program %-12s platform %-12s %s\n", name, prog, plat, type);
        if (i == 0) { strcpy(program, prog); strcpy(platform, plat); }
    }
    aurorax_free(sources);
    if (count <= 0 || !*program || strcmp(program, "?") == 0) {
        fprintf(stderr, "no data source to search with\n");
        aurorax_shutdown();
        return 1;
    }

    /* A small search with the names just found. */
    char data_sources[256];
    snprintf(data_sources, sizeof data_sources, "{\"programs\": [\"%s\"], \"platforms\": [\"%s\"]}", program, platform);
    printf("ephemeris search with %s\n", data_sources);
    aurorax_search_t *s = aurorax_ephemeris_search_async("2020-01-01T00:00:00", "2020-01-01T23:59:59", data_sources);
    if (!s) { fprintf(stderr, "%s\n", aurorax_last_error()); aurorax_shutdown(); return 1; }
    rc = aurorax_wait(s, 600);
    if (rc == AURORAX_OK) {
        const int64_t n = aurorax_get_record_count(s);
        printf("%lld ephemeris records for %s %s on 2020-01-01\n", (long long)n, program, platform);
        if (n <= 0) rc = 1;
    } else {
        fprintf(stderr, "%s: %s\n", aurorax_status_name(rc), aurorax_search_error(s));
    }
    aurorax_free(s);
    aurorax_shutdown();
    return rc == AURORAX_OK ? 0 : 1;
}
