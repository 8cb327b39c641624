/* MEX gateway over libaurorax for MATLAB and GNU Octave.
 *
 *   result = aurorax_mex(command, args...)
 *
 * MATLAB never sees a pointer: searches are numbered (uint64, never reused) in a table
 * kept here, so a freed, forged or stale number is a MATLAB error, never a crash.
 * Library failures become MATLAB errors whose identifier is the status name, e.g.
 * aurorax:AURORAX_ERR_SEARCH_FAILED. Every open search is freed and the engine stopped
 * when the MEX file is cleared (clear mex) or MATLAB exits. */
#include "mex.h"
#include <aurorax.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Octave's char arrays already hold UTF-8 bytes and it has no mxArrayToUTF8String. */
#ifdef HAVE_OCTAVE
#define utf8_text mxArrayToString
#else
#define utf8_text mxArrayToUTF8String
#endif

typedef struct {
    uint64_t id;
    aurorax_search_t *search;
} entry_t;

static entry_t *table = NULL;
static size_t table_len = 0, table_cap = 0;
static uint64_t next_id = 1;
static int at_exit_registered = 0;

static void release_everything(void) {
    for (size_t i = 0; i < table_len; i++) aurorax_free(table[i].search);
    free(table);
    table = NULL;
    table_len = table_cap = 0;
    aurorax_shutdown();
}

static void fail_status(int status, const char *message) {
    char id[64];
    snprintf(id, sizeof id, "aurorax:%s", aurorax_status_name(status));
    mexErrMsgIdAndTxt(id, "%s", message && *message ? message : aurorax_status_name(status));
}

static char *string_arg(const mxArray *a, const char *name) {
    if (mxIsEmpty(a) && mxIsDouble(a)) return NULL; /* [] passes NULL */
    if (!mxIsChar(a)) mexErrMsgIdAndTxt("aurorax:badArgument", "%s must be a char vector or []", name);
    char *s = utf8_text(a);
    if (!s) mexErrMsgIdAndTxt("aurorax:badArgument", "%s could not be read as text", name);
    return s;
}

static double number_arg(const mxArray *a, const char *name) {
    if (!mxIsNumeric(a) || mxGetNumberOfElements(a) != 1 || mxIsComplex(a))
        mexErrMsgIdAndTxt("aurorax:badArgument", "%s must be a real scalar", name);
    return mxGetScalar(a);
}

static mxArray *handle_value(uint64_t id) {
    mxArray *v = mxCreateNumericMatrix(1, 1, mxUINT64_CLASS, mxREAL);
    *(uint64_t *)mxGetData(v) = id;
    return v;
}

static size_t find_slot(const mxArray *a) {
    if (!mxIsUint64(a) || mxGetNumberOfElements(a) != 1)
        mexErrMsgIdAndTxt("aurorax:badHandle", "a search handle is a uint64 scalar returned by aurorax_mex");
    uint64_t id = *(const uint64_t *)mxGetData(a);
    for (size_t i = 0; i < table_len; i++)
        if (table[i].id == id) return i;
    mexErrMsgIdAndTxt("aurorax:badHandle", "search %llu is not open (freed, or never created)", (unsigned long long)id);
    return 0; /* not reached */
}

static aurorax_search_t *search_arg(int nrhs, const mxArray *prhs[]) {
    if (nrhs < 2) mexErrMsgIdAndTxt("aurorax:badArgument", "this command needs a search handle");
    return table[find_slot(prhs[1])].search;
}

static mxArray *register_search(aurorax_search_t *s) {
    if (!s) fail_status(AURORAX_ERR_INVALID_ARGUMENT, aurorax_last_error());
    if (table_len == table_cap) {
        size_t cap = table_cap ? 2 * table_cap : 16;
        entry_t *grown = realloc(table, cap * sizeof *grown);
        if (!grown) { aurorax_free(s); mexErrMsgIdAndTxt("aurorax:outOfMemory", "no memory for the handle table"); }
        table = grown;
        table_cap = cap;
    }
    table[table_len].id = next_id++;
    table[table_len].search = s;
    return handle_value(table[table_len++].id);
}

static mxArray *text_or_empty(const char *text) {
    return text ? mxCreateString(text) : mxCreateString("");
}

static void need(int nrhs, int count, const char *usage) {
    if (nrhs != count) mexErrMsgIdAndTxt("aurorax:badArgument", "usage: %s", usage);
}

/* The search_async commands take their strings here so each is freed after the call. */
static mxArray *start_search(const char *cmd, int nrhs, const mxArray *prhs[]) {
    char *a[4] = {NULL, NULL, NULL, NULL};
    aurorax_search_t *s = NULL;
    if (!strcmp(cmd, "conjunctions_search_async")) {
        need(nrhs, 6, "aurorax_mex('conjunctions_search_async', start, end, ground_json, space_json, distance_km)");
        double d = number_arg(prhs[5], "distance_km");
        for (int i = 0; i < 4; i++) a[i] = string_arg(prhs[1 + i], "a text argument");
        s = aurorax_conjunctions_search_async(a[0], a[1], a[2], a[3], d);
    } else if (!strcmp(cmd, "ephemeris_search_async")) {
        need(nrhs, 4, "aurorax_mex('ephemeris_search_async', start, end, data_sources_json)");
        for (int i = 0; i < 3; i++) a[i] = string_arg(prhs[1 + i], "a text argument");
        s = aurorax_ephemeris_search_async(a[0], a[1], a[2]);
    } else if (!strcmp(cmd, "data_products_search_async")) {
        need(nrhs, 5, "aurorax_mex('data_products_search_async', start, end, data_sources_json, types_json)");
        for (int i = 0; i < 4; i++) a[i] = string_arg(prhs[1 + i], "a text argument");
        s = aurorax_data_products_search_async(a[0], a[1], a[2], a[3]);
    } else {
        need(nrhs, 2, "aurorax_mex('<kind>_search_async_json', query_json)");
        a[0] = string_arg(prhs[1], "query_json");
        if (!strcmp(cmd, "conjunctions_search_async_json")) s = aurorax_conjunctions_search_async_json(a[0]);
        else if (!strcmp(cmd, "ephemeris_search_async_json")) s = aurorax_ephemeris_search_async_json(a[0]);
        else s = aurorax_data_products_search_async_json(a[0]);
    }
    for (int i = 0; i < 4; i++) mxFree(a[i]);
    return register_search(s);
}

static int set_setting(const char *cmd, int nrhs, const mxArray *prhs[]) {
    need(nrhs, 2, "aurorax_mex('set_...', value)");
    if (!strcmp(cmd, "set_poll_interval")) return aurorax_set_poll_interval(number_arg(prhs[1], "max_seconds"));
    if (!strcmp(cmd, "set_request_timeout")) return aurorax_set_request_timeout(number_arg(prhs[1], "seconds"));
    if (!strcmp(cmd, "set_max_retries")) return aurorax_set_max_retries((int)number_arg(prhs[1], "max_retries"));
    char *text = string_arg(prhs[1], "value");
    int rc = !strcmp(cmd, "set_api_url") ? aurorax_set_api_url(text) : aurorax_set_api_key(text);
    mxFree(text);
    return rc;
}

void mexFunction(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    if (!at_exit_registered) {
        mexAtExit(release_everything);
        at_exit_registered = 1;
    }
    if (nrhs < 1 || !mxIsChar(prhs[0])) mexErrMsgIdAndTxt("aurorax:badArgument", "the first argument is a command name");
    char cmd[64];
    if (mxGetString(prhs[0], cmd, sizeof cmd)) mexErrMsgIdAndTxt("aurorax:badArgument", "unknown command");

    if (strstr(cmd, "_search_async")) {
        plhs[0] = start_search(cmd, nrhs, prhs);
    } else if (!strncmp(cmd, "set_", 4)) {
        int rc = set_setting(cmd, nrhs, prhs);
        if (rc != AURORAX_OK) fail_status(rc, aurorax_last_error());
    } else if (!strcmp(cmd, "version")) {
        plhs[0] = mxCreateString(aurorax_version());
    } else if (!strcmp(cmd, "open_handles")) {
        plhs[0] = mxCreateDoubleScalar((double)table_len);
    } else if (!strcmp(cmd, "shutdown")) {
        aurorax_shutdown();
    } else if (!strcmp(cmd, "free")) {
        need(nrhs, 2, "aurorax_mex('free', s)");
        size_t i = find_slot(prhs[1]);
        aurorax_free(table[i].search);
        table[i] = table[--table_len];
    } else {
        aurorax_search_t *s = search_arg(nrhs, prhs);
        if (!strcmp(cmd, "check_for_data")) {
            int rc = aurorax_check_for_data(s);
            if (rc < 0) fail_status(rc, aurorax_search_error(s));
            plhs[0] = mxCreateLogicalScalar(rc == 1);
        } else if (!strcmp(cmd, "wait")) {
            double timeout = nrhs > 2 ? number_arg(prhs[2], "timeout_seconds") : 0;
            int rc = aurorax_wait(s, timeout);
            if (rc != AURORAX_OK && rc != AURORAX_ERR_TIMEOUT) fail_status(rc, aurorax_search_error(s) ? aurorax_search_error(s) : aurorax_last_error());
            plhs[0] = mxCreateLogicalScalar(rc == AURORAX_OK); /* false: timed out, still running */
        } else if (!strcmp(cmd, "get_data")) {
            const char *json = aurorax_get_data(s);
            if (!json) fail_status(aurorax_check_for_data(s) < 0 ? aurorax_check_for_data(s) : AURORAX_ERR_NOT_READY, aurorax_last_error());
            plhs[0] = mxCreateString(json);
        } else if (!strcmp(cmd, "get_data_length")) {
            int64_t n = aurorax_get_data_length(s);
            if (n < 0) fail_status((int)n, aurorax_last_error());
            plhs[0] = mxCreateDoubleScalar((double)n);
        } else if (!strcmp(cmd, "cancel")) {
            int rc = aurorax_cancel(s);
            if (rc != AURORAX_OK) fail_status(rc, aurorax_last_error());
        } else if (!strcmp(cmd, "request_id")) {
            plhs[0] = text_or_empty(aurorax_request_id(s));
        } else if (!strcmp(cmd, "request_url")) {
            plhs[0] = text_or_empty(aurorax_request_url(s));
        } else if (!strcmp(cmd, "search_error")) {
            plhs[0] = text_or_empty(aurorax_search_error(s));
        } else if (!strcmp(cmd, "get_status")) {
            plhs[0] = text_or_empty(aurorax_get_status(s));
        } else if (!strcmp(cmd, "get_logs")) {
            plhs[0] = text_or_empty(aurorax_get_logs(s));
        } else {
            mexErrMsgIdAndTxt("aurorax:badArgument", "unknown command '%s'", cmd);
        }
    }
}
