/* Small helpers shared by the examples: counting the records of a JSON array without a
 * JSON library, and sleeping. Not part of libaurorax. */
#ifndef EXAMPLE_UTIL_H
#define EXAMPLE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline void nap_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Finds the top-level objects of a JSON array: calls visit(start, length) for each and
 * returns how many there are. Strings are skipped so braces inside them do not count. */
static inline long each_record(const char *json, void (*visit)(const char *, size_t, void *), void *ctx) {
    long count = 0;
    int depth = 0, in_string = 0;
    const char *start = NULL;
    for (const char *p = json; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1]) p++;
            else if (*p == '"') in_string = 0;
            continue;
        }
        if (*p == '"') in_string = 1;
        else if (*p == '{' || *p == '[') {
            if (depth == 1 && *p == '{') start = p;
            depth++;
        } else if (*p == '}' || *p == ']') {
            depth--;
            if (depth == 1 && *p == '}') {
                count++;
                if (visit) visit(start, (size_t)(p - start + 1), ctx);
            }
        }
    }
    return count;
}

static inline void print_first(const char *record, size_t length, void *printed) {
    if (*(int *)printed) return;
    *(int *)printed = 1;
    const size_t shown = length < 600 ? length : 600;
    printf("first record: %.*s%s\n", (int)shown, record, shown < length ? " ..." : "");
}

static inline const char *api_url(void) {
    const char *url = getenv("AURORAX_API_URL");
    return url && *url ? url : "https://api.aurorax.space (default)";
}

#endif
