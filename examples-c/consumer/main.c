/* A program built against an installed libaurorax: prints the version and shows that bad
 * input is refused with a message (no server needed). */
#include <aurorax.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    printf("libaurorax %s (header %d.%d.%d)\n", aurorax_version(), AURORAX_VERSION_MAJOR,
           AURORAX_VERSION_MINOR, AURORAX_VERSION_PATCH);
    aurorax_search_t *s = aurorax_ephemeris_search_async("2019-01-01T00:00:00", "not a date", "{}");
    if (s || strstr(aurorax_last_error(), "end") == NULL) {
        fprintf(stderr, "expected a refusal naming 'end', got: %s\n", s ? "a handle" : aurorax_last_error());
        return 1;
    }
    printf("refused: %s\n", aurorax_last_error());
    return 0;
}
