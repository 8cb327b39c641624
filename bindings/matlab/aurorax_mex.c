/* MEX gateway over libaurorax for MATLAB and GNU Octave; the +aurorax package is its user.
 *
 *   result = aurorax_mex(command, args...)
 *
 * MATLAB never sees a pointer: searches are numbered (uint64, never reused) in a table
 * kept here, so a freed, forged or stale number is a MATLAB error, never a crash.
 * Library failures become MATLAB errors whose identifier is the status name as
 * aurorax_status_name gives it at run time, e.g. aurorax:AURORAX_ERR_SEARCH_FAILED. The
 * status is the number the library returned, or aurorax_last_status() for a call that
 * returned NULL: never read from the message, whose words (a server's included) decide
 * nothing.
 * A command this file does not know is refused by name (aurorax:unknownCommand); nothing
 * falls through to a default. Every open search is freed and the engine stopped when the
 * MEX file is cleared (clear mex) or MATLAB exits.
 *
 * No command blocks for long: 'wait' and 'wait_any' return after at most MAX_SLICE seconds
 * whatever timeout they are given, because MATLAB and Octave only act on Ctrl-C between
 * statements of M-code. aurorax.Search/wait loops over these slices. The library's two
 * blocking calls that have no timeout of their own, aurorax_describe (up to the request
 * timeout) and aurorax_shutdown (a few seconds), run on a thread of this file: 'describe'
 * and 'shutdown' wait for it at most a slice and say whether it finished, and M-code loops.
 *
 * Text: arguments may be char vectors or MATLAB string scalars ("..."); text handed back
 * is the library's UTF-8, decoded here (utf8_string) rather than by mxCreateString, which
 * reads the locale's code page on MATLAB before R2022a. Error messages too. */
#include "mex.h"
#include <aurorax.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <pthread.h>

/* Octave's char arrays already hold UTF-8 bytes and it has no mxArrayToUTF8String. */
#ifdef HAVE_OCTAVE
#define utf8_text mxArrayToString
#else
#define utf8_text mxArrayToUTF8String
#endif

#define MAX_SLICE 1.0 /* seconds a single 'wait' / 'wait_any' may block */

/* A describe running on its own thread (aurorax_describe blocks up to the request timeout).
 * Every field but `thread` and `search` is guarded by jobs_lock. */
typedef struct job {
    pthread_t thread;
    aurorax_search_t *search;
    int done;          /* the thread has its answer */
    int orphaned;      /* the search's entry is gone (freed, clear mex): whoever reaps the
                          job frees the search too */
    int status;        /* AURORAX_OK, or the failure's status */
    char *message;     /* the failure's message (malloc'd), NULL on success */
    struct job *next;  /* every job not yet joined: jobs */
} job_t;

typedef struct {
    uint64_t id;
    aurorax_search_t *search;
    job_t *describe;   /* NULL unless a describe is running or its answer not yet taken */
} entry_t;

static entry_t *table = NULL;
static size_t table_len = 0, table_cap = 0;
static uint64_t next_id = 0; /* 0: not seeded yet (see first_id) */
static int at_exit_registered = 0;

/* The first number of this load of the MEX file. `clear mex`, `clear functions` or a rebuild
 * unloads the file and resets every static, but an aurorax.Search made before still holds
 * its number: counting from 1 again would hand that number to a newer search, which the old
 * object would then read and, on delete, free. So each load starts from the wall clock in
 * microseconds times 4096: a later load starts above every number an earlier one gave unless
 * that one made more than 4096 searches per microsecond it was loaded (or the clock stepped
 * back). A few bits of a stack address are added so two loads in the same microsecond
 * differ. us * 4096 fits a uint64 until the year 2112; MATLAB holds the number as a uint64,
 * never as a double. */
static uint64_t first_id(void) {
    struct timespec ts;
    uint64_t us = 0;
    if (timespec_get(&ts, TIME_UTC) == TIME_UTC) us = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
    volatile int marker = 0;
    uint64_t jitter = ((uint64_t)(uintptr_t)&marker >> 4) & 0x3ff; /* 0..1023, below 4096 */
    return us * 4096u + jitter + 1;
}

/* ---- work on threads of this file --------------------------------------------------------
 * Nothing here calls the MEX API off MATLAB's thread: the threads call the library and
 * malloc only. They are joinable and joined before this file can be unloaded
 * (release_everything), since a thread still running its code after `clear mex` unmapped
 * it would crash MATLAB. */
static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_changed = PTHREAD_COND_INITIALIZER;
static job_t *jobs = NULL;

static int shutdown_running = 0, shutdown_done = 0; /* guarded by jobs_lock */
static pthread_t shutdown_thread;

static char *copy_text(const char *text) {
    if (!text) text = "";
    size_t n = strlen(text) + 1;
    char *c = malloc(n);
    if (c) memcpy(c, text, n);
    return c;
}

static void *describe_thread(void *arg) {
    job_t *j = arg;
    const char *text = aurorax_describe(j->search); /* cached by the library on success */
    int status = AURORAX_OK;
    char *message = NULL;
    if (!text) {
        status = aurorax_last_status(); /* this thread's: the describe's own failure */
        if (status >= 0) status = AURORAX_ERR_INTERNAL;
        message = copy_text(aurorax_last_error());
    }
    pthread_mutex_lock(&jobs_lock);
    j->status = status;
    j->message = message;
    j->done = 1;
    pthread_cond_broadcast(&jobs_changed);
    pthread_mutex_unlock(&jobs_lock);
    return NULL;
}

static void *shutdown_worker(void *arg) {
    (void)arg;
    aurorax_shutdown();
    pthread_mutex_lock(&jobs_lock);
    shutdown_done = 1;
    pthread_cond_broadcast(&jobs_changed);
    pthread_mutex_unlock(&jobs_lock);
    return NULL;
}

/* Waits (jobs_lock held) until *flag is set or `seconds` pass; returns *flag. */
static int wait_for_flag(const int *flag, double seconds) {
    struct timespec until;
    timespec_get(&until, TIME_UTC);
    double whole = floor(seconds);
    until.tv_sec += (time_t)whole;
    until.tv_nsec += (long)((seconds - whole) * 1e9);
    if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
    while (!*flag)
        if (pthread_cond_timedwait(&jobs_changed, &jobs_lock, &until) == ETIMEDOUT) break;
    return *flag;
}

/* Joins a finished job and takes it off the list (jobs_lock held); frees its search when it
 * was orphaned. The caller frees the job. */
static void unlink_job(job_t *j) {
    for (job_t **p = &jobs; *p; p = &(*p)->next)
        if (*p == j) { *p = j->next; break; }
}

static void finish_job(job_t *j) {
    pthread_join(j->thread, NULL);
    if (j->orphaned) aurorax_free(j->search);
    free(j->message);
    free(j);
}

/* Joins the orphaned jobs that have finished (their threads have returned or are
 * returning: the join waits microseconds at most). Called at every gateway call. */
static void reap_orphans(void) {
    job_t *ready = NULL;
    pthread_mutex_lock(&jobs_lock);
    for (job_t **p = &jobs; *p;) {
        job_t *j = *p;
        if (j->orphaned && j->done) { *p = j->next; j->next = ready; ready = j; }
        else p = &j->next;
    }
    pthread_mutex_unlock(&jobs_lock);
    while (ready) { job_t *next = ready->next; finish_job(ready); ready = next; }
}

/* An entry leaves the table: its search is freed now, or by the reaper once a describe
 * running on it returns (the library's describe holds the handle's text until then). */
static void release_entry(entry_t *e) {
    job_t *j = e->describe;
    e->describe = NULL;
    if (!j) { aurorax_free(e->search); return; }
    pthread_mutex_lock(&jobs_lock);
    j->orphaned = 1;
    pthread_mutex_unlock(&jobs_lock);
    reap_orphans();
}

/* clear mex, clear functions, a rebuild, or MATLAB exiting: every search is freed, the
 * engine stopped, and every thread of this file joined before the file is unmapped. Bounded
 * by the library's shutdown (a few seconds), not by the request timeout: stopping the
 * engine ends a describe still waiting for the server. */
static void release_everything(void) {
    for (size_t i = 0; i < table_len; i++) release_entry(&table[i]);
    free(table);
    table = NULL;
    table_len = table_cap = 0;
    aurorax_shutdown();
    pthread_mutex_lock(&jobs_lock);
    job_t *all = jobs;
    jobs = NULL;
    int joining_shutdown = shutdown_running;
    shutdown_running = shutdown_done = 0;
    pthread_mutex_unlock(&jobs_lock);
    while (all) { job_t *next = all->next; all->orphaned = 1; finish_job(all); all = next; }
    if (joining_shutdown) pthread_join(shutdown_thread, NULL);
    /* a describe that started the engine again just as it stopped: stop it again (at once
     * when nothing did) */
    aurorax_shutdown();
}

static mxArray *utf8_string(const char *p, size_t n);

/* Raises a MATLAB error whose message is UTF-8 text (a server's words, a file name). Octave's
 * chars are UTF-8 bytes already; MATLAB before R2022a would read mexErrMsgIdAndTxt's bytes
 * in the locale's code page, so there the MException is made from the decoded text and
 * thrown (the identifier is ASCII). */
static void raise_utf8(const char *id, const char *message) {
#ifndef HAVE_OCTAVE
    mxArray *args[3] = {utf8_string(id, strlen(id)), mxCreateString("%s"), utf8_string(message, strlen(message))};
    mxArray *error = NULL;
    mxArray *trapped = mexCallMATLABWithTrap(1, &error, 3, args, "MException");
    if (!trapped && error) mexCallMATLAB(0, NULL, 1, &error, "throw"); /* does not return */
#endif
    mexErrMsgIdAndTxt(id, "%s", message);
}

static void fail_status(int status, const char *message) {
    char id[80];
    snprintf(id, sizeof id, "aurorax:%s", aurorax_status_name(status));
    raise_utf8(id, message && *message ? message : aurorax_status_name(status));
}

/* The failure of this thread's last call that returned NULL or a status without a handle:
 * aurorax_last_status() names it, read at once after that call. */
static void fail_last(void) {
    int status = aurorax_last_status();
    fail_status(status < 0 ? status : AURORAX_ERR_INTERNAL, aurorax_last_error());
}

/* A failure with `status` on a handle. Only the message is chosen here: the search's own
 * reason when the search itself ended with this status, else this thread's last error when
 * it is this status's, else the status name alone. */
static void fail_search(int status, aurorax_search_t *s) {
    int last = aurorax_last_status();
    const char *why = NULL;
    if (aurorax_check_for_data(s) == status) why = aurorax_search_error(s);
    if (!why && last == status) why = aurorax_last_error();
    fail_status(status, why);
}

/* A call on `s` returned NULL: its status is aurorax_last_status(), read at once. */
static void fail_null(aurorax_search_t *s) {
    int status = aurorax_last_status();
    fail_search(status < 0 ? status : AURORAX_ERR_INTERNAL, s);
}

static void need(int nrhs, int count, const char *usage) {
    if (nrhs != count) mexErrMsgIdAndTxt("aurorax:badArgument", "usage: %s", usage);
}

/* fn(a) through MATLAB, its errors trapped: NULL when it failed or returned nothing. */
static mxArray *call_trapped(const char *fn, const mxArray *a) {
    mxArray *out = NULL, *in = (mxArray *)a;
    mxArray *failure = mexCallMATLABWithTrap(1, &out, 1, &in, fn);
    if (failure) { mxDestroyArray(failure); return NULL; }
    return out;
}

static int answers_true(const char *fn, const mxArray *a) {
    mxArray *v = call_trapped(fn, a);
    int yes = v && (mxIsLogical(v) || mxIsNumeric(v)) && mxGetNumberOfElements(v) == 1 && mxGetScalar(v) != 0;
    if (v) mxDestroyArray(v);
    return yes;
}

/* MATLAB's string class ("..." since R2016b) has no C API: a string scalar is read through
 * MATLAB's own char(); a string array (several texts, or none) and <missing> are refused by
 * name. Anything else is returned as it is, for the caller's checks. The result is a
 * temporary array MATLAB frees when the gateway returns. (Octave has no string class; its
 * tests pass a stand-in class named string with the same methods.) */
static const mxArray *as_chars(const mxArray *a, const char *name) {
    if (!mxIsClass(a, "string")) return a;
    if (!answers_true("isscalar", a))
        mexErrMsgIdAndTxt("aurorax:badArgument", "%s must be a char vector or a string scalar, not a string array", name);
    if (answers_true("ismissing", a))
        mexErrMsgIdAndTxt("aurorax:badArgument", "%s is a <missing> string", name);
    mxArray *c = call_trapped("char", a);
    if (!c || !mxIsChar(c)) mexErrMsgIdAndTxt("aurorax:badArgument", "%s could not be read as text", name);
    return c;
}

static char *string_arg(const mxArray *a, const char *name) {
    if (mxIsEmpty(a) && mxIsDouble(a)) return NULL; /* [] passes NULL */
    a = as_chars(a, name);
    if (!mxIsChar(a)) mexErrMsgIdAndTxt("aurorax:badArgument", "%s must be a char vector, a string scalar or []", name);
    if (mxGetM(a) > 1 || mxGetNumberOfDimensions(a) > 2)
        mexErrMsgIdAndTxt("aurorax:badArgument", "%s must be one row of text, not a char matrix", name);
    char *s = utf8_text(a);
    if (!s) mexErrMsgIdAndTxt("aurorax:badArgument", "%s could not be read as text", name);
    return s;
}

static double number_arg(const mxArray *a, const char *name) {
    if (!mxIsNumeric(a) || mxGetNumberOfElements(a) != 1 || mxIsComplex(a))
        mexErrMsgIdAndTxt("aurorax:badArgument", "%s must be a real scalar", name);
    return mxGetScalar(a);
}

/* A whole number that fits the C type; fractions and NaN are refused rather than truncated. */
static double integer_arg(const mxArray *a, const char *name, double lo, double hi) {
    double v = number_arg(a, name);
    if (!(v >= lo && v <= hi) || v != floor(v))
        mexErrMsgIdAndTxt("aurorax:badArgument", "%s must be a whole number in [%.0f, %.0f]", name, lo, hi);
    return v;
}

static mxArray *handle_value(uint64_t id) {
    mxArray *v = mxCreateNumericMatrix(1, 1, mxUINT64_CLASS, mxREAL);
    *(uint64_t *)mxGetData(v) = id;
    return v;
}

static size_t find_id(uint64_t id) {
    for (size_t i = 0; i < table_len; i++)
        if (table[i].id == id) return i;
    mexErrMsgIdAndTxt("aurorax:badHandle", "search %llu is not open (freed, or never created)", (unsigned long long)id);
    return 0; /* not reached */
}

static size_t find_slot(const mxArray *a) {
    if (!mxIsUint64(a) || mxGetNumberOfElements(a) != 1)
        mexErrMsgIdAndTxt("aurorax:badHandle", "a search handle is a uint64 scalar returned by aurorax_mex");
    return find_id(*(const uint64_t *)mxGetData(a));
}

static aurorax_search_t *search_arg(int nrhs, const mxArray *prhs[], int count, const char *usage) {
    if (nrhs < 2) mexErrMsgIdAndTxt("aurorax:badArgument", "usage: %s", usage);
    aurorax_search_t *s = table[find_slot(prhs[1])].search;
    need(nrhs, count, usage);
    return s;
}

static mxArray *register_search(aurorax_search_t *s) {
    if (!s) fail_last();
    if (table_len == table_cap) {
        size_t cap = table_cap ? 2 * table_cap : 16;
        entry_t *grown = realloc(table, cap * sizeof *grown);
        if (!grown) { aurorax_free(s); mexErrMsgIdAndTxt("aurorax:outOfMemory", "no memory for the handle table"); }
        table = grown;
        table_cap = cap;
    }
    if (next_id == 0) next_id = first_id();
    table[table_len].id = next_id++;
    table[table_len].search = s;
    table[table_len].describe = NULL;
    return handle_value(table[table_len++].id);
}

/* The library's NUL-terminated UTF-8 text ('' for NULL). */
static mxArray *text_out(const char *text) {
    return text ? utf8_string(text, strlen(text)) : mxCreateString("");
}

/* A slice of a wait: never more than MAX_SLICE, and a timeout <= 0 ("no limit") is one slice. */
static double slice_of(double timeout) {
    if (isnan(timeout)) mexErrMsgIdAndTxt("aurorax:badArgument", "timeout_seconds must not be NaN");
    return (timeout <= 0 || timeout > MAX_SLICE) ? MAX_SLICE : timeout;
}

/* ---- commands -------------------------------------------------------------------------
 * Each takes (nlhs, plhs, nrhs, prhs) with prhs[0] the command name. Strings taken with
 * string_arg are mxFree'd before returning; on a MATLAB error MATLAB frees them. */
typedef void (*command_fn)(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);

static void cmd_version(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)prhs;
    need(nrhs, 1, "aurorax_mex('version')");
    plhs[0] = text_out(aurorax_version());
}

static void cmd_status_name(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    need(nrhs, 2, "aurorax_mex('status_name', code)");
    plhs[0] = text_out(aurorax_status_name((int)integer_arg(prhs[1], "code", -1e6, 1e6)));
}

static void cmd_open_handles(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)prhs;
    need(nrhs, 1, "aurorax_mex('open_handles')");
    plhs[0] = mxCreateDoubleScalar((double)table_len);
}

/* done = aurorax_mex('shutdown'[, slice_seconds]): stops the engine. aurorax_shutdown can take
 * a few seconds (searches whose submit is in flight get time to be deleted), so it runs on a
 * thread of this file: this call waits for it at most a slice and returns whether it has
 * finished; calls while it runs wait for the same shutdown. aurorax.shutdown loops. */
static void cmd_shutdown(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    if (nrhs != 1 && nrhs != 2) mexErrMsgIdAndTxt("aurorax:badArgument", "usage: done = aurorax_mex('shutdown', slice_seconds)");
    double slice = nrhs == 2 ? slice_of(number_arg(prhs[1], "slice_seconds")) : MAX_SLICE;
    pthread_mutex_lock(&jobs_lock);
    if (!shutdown_running) {
        shutdown_done = 0;
        if (pthread_create(&shutdown_thread, NULL, shutdown_worker, NULL) != 0) {
            pthread_mutex_unlock(&jobs_lock);
            mexErrMsgIdAndTxt("aurorax:AURORAX_ERR_INTERNAL", "shutdown: could not start a thread");
        }
        shutdown_running = 1;
    }
    int done = wait_for_flag(&shutdown_done, slice);
    if (done) shutdown_running = 0;
    pthread_mutex_unlock(&jobs_lock);
    if (done) pthread_join(shutdown_thread, NULL);
    plhs[0] = mxCreateLogicalScalar(done);
}

/* A status returned without a handle: the message is this thread's last error if it is
 * this status's (it is for every call that fails), else the status name alone. */
static void fail_returned(int rc) {
    fail_status(rc, aurorax_last_status() == rc ? aurorax_last_error() : NULL);
}

static void check_rc(int rc) {
    if (rc != AURORAX_OK) fail_returned(rc);
}

static void cmd_set_api_url(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)plhs;
    need(nrhs, 2, "aurorax_mex('set_api_url', url)");
    char *url = string_arg(prhs[1], "url");
    int rc = aurorax_set_api_url(url);
    mxFree(url);
    check_rc(rc);
}

static void cmd_set_api_key(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)plhs;
    need(nrhs, 2, "aurorax_mex('set_api_key', key_or_empty)");
    char *key = string_arg(prhs[1], "key");
    int rc = aurorax_set_api_key(key);
    mxFree(key);
    check_rc(rc);
}

static void cmd_set_ca_bundle(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)plhs;
    need(nrhs, 2, "aurorax_mex('set_ca_bundle', pem_path_or_empty)");
    char *path = string_arg(prhs[1], "pem_path"); /* [] passes NULL: removes the bundle */
    int rc = aurorax_set_ca_bundle(path);
    mxFree(path);
    check_rc(rc);
}

static void cmd_set_poll_interval(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)plhs;
    need(nrhs, 2, "aurorax_mex('set_poll_interval', max_seconds)");
    check_rc(aurorax_set_poll_interval(number_arg(prhs[1], "max_seconds")));
}

static void cmd_set_request_timeout(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)plhs;
    need(nrhs, 2, "aurorax_mex('set_request_timeout', seconds)");
    check_rc(aurorax_set_request_timeout(number_arg(prhs[1], "seconds")));
}

static void cmd_set_max_retries(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)plhs;
    need(nrhs, 2, "aurorax_mex('set_max_retries', n)");
    check_rc(aurorax_set_max_retries((int)integer_arg(prhs[1], "max_retries", -2147483648.0, 2147483647.0)));
}

static void cmd_set_outage_tolerance(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)plhs;
    need(nrhs, 2, "aurorax_mex('set_outage_tolerance', seconds)");
    /* NaN, Inf and negatives go to the library, which refuses them (INVALID_ARGUMENT) */
    check_rc(aurorax_set_outage_tolerance(number_arg(prhs[1], "seconds")));
}

static void cmd_set_spool_threshold(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)plhs;
    need(nrhs, 2, "aurorax_mex('set_spool_threshold', bytes)");
    check_rc(aurorax_set_spool_threshold((int64_t)integer_arg(prhs[1], "bytes", -9007199254740992.0, 9007199254740992.0)));
}

static void cmd_search_async(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[], int kind) {
    (void)nlhs;
    char *a[4] = {NULL, NULL, NULL, NULL};
    aurorax_search_t *s = NULL;
    if (kind == 0) {
        need(nrhs, 6, "aurorax_mex('conjunctions_search_async', start, end, ground_json, space_json, distance_km)");
        double d = number_arg(prhs[5], "distance_km");
        for (int i = 0; i < 4; i++) a[i] = string_arg(prhs[1 + i], "a text argument");
        s = aurorax_conjunctions_search_async(a[0], a[1], a[2], a[3], d);
    } else if (kind == 1) {
        need(nrhs, 4, "aurorax_mex('ephemeris_search_async', start, end, data_sources_json)");
        for (int i = 0; i < 3; i++) a[i] = string_arg(prhs[1 + i], "a text argument");
        s = aurorax_ephemeris_search_async(a[0], a[1], a[2]);
    } else {
        need(nrhs, 5, "aurorax_mex('data_products_search_async', start, end, data_sources_json, types_json)");
        for (int i = 0; i < 4; i++) a[i] = string_arg(prhs[1 + i], "a text argument");
        s = aurorax_data_products_search_async(a[0], a[1], a[2], a[3]);
    }
    for (int i = 0; i < 4; i++) mxFree(a[i]);
    plhs[0] = register_search(s);
}
static void cmd_conjunctions_search_async(int l, mxArray *p[], int n, const mxArray *r[]) { cmd_search_async(l, p, n, r, 0); }
static void cmd_ephemeris_search_async(int l, mxArray *p[], int n, const mxArray *r[]) { cmd_search_async(l, p, n, r, 1); }
static void cmd_data_products_search_async(int l, mxArray *p[], int n, const mxArray *r[]) { cmd_search_async(l, p, n, r, 2); }

/* The commands that take one string and return a new search. */
typedef aurorax_search_t *(*one_string_fn)(const char *);
static void one_string_search(mxArray *plhs[], int nrhs, const mxArray *prhs[], one_string_fn fn, const char *usage) {
    need(nrhs, 2, usage);
    char *text = string_arg(prhs[1], "the text argument");
    aurorax_search_t *s = fn(text);
    mxFree(text);
    plhs[0] = register_search(s);
}
static void cmd_conjunctions_search_async_json(int l, mxArray *p[], int n, const mxArray *r[]) {
    (void)l; one_string_search(p, n, r, aurorax_conjunctions_search_async_json, "aurorax_mex('conjunctions_search_async_json', query_json)");
}
static void cmd_ephemeris_search_async_json(int l, mxArray *p[], int n, const mxArray *r[]) {
    (void)l; one_string_search(p, n, r, aurorax_ephemeris_search_async_json, "aurorax_mex('ephemeris_search_async_json', query_json)");
}
static void cmd_data_products_search_async_json(int l, mxArray *p[], int n, const mxArray *r[]) {
    (void)l; one_string_search(p, n, r, aurorax_data_products_search_async_json, "aurorax_mex('data_products_search_async_json', query_json)");
}

static void cmd_free(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)plhs;
    need(nrhs, 2, "aurorax_mex('free', s)");
    size_t i = find_slot(prhs[1]);
    release_entry(&table[i]);
    table[i] = table[--table_len];
}

static void cmd_check_for_data(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    aurorax_search_t *s = search_arg(nrhs, prhs, 2, "aurorax_mex('check_for_data', s)");
    int rc = aurorax_check_for_data(s);
    if (rc < 0) fail_search(rc, s);
    plhs[0] = mxCreateLogicalScalar(rc == 1);
}

static void cmd_wait(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    aurorax_search_t *s = search_arg(nrhs, prhs, 3, "aurorax_mex('wait', s, slice_seconds)");
    int rc = aurorax_wait(s, slice_of(number_arg(prhs[2], "slice_seconds")));
    if (rc != AURORAX_OK && rc != AURORAX_ERR_TIMEOUT) fail_search(rc, s);
    plhs[0] = mxCreateLogicalScalar(rc == AURORAX_OK); /* false: not yet, still running */
}

/* aurorax_get_data, _length and aurorax_save_data block while a result downloads: the
 * gateway calls them only once the data is in memory (a question answered from memory), and
 * otherwise refuses with NOT_READY at once. aurorax.Search waits first, in slices. */
static void need_data(aurorax_search_t *s) {
    int rc = aurorax_check_for_data(s);
    if (rc < 0) fail_search(rc, s);
    if (rc == 0)
        mexErrMsgIdAndTxt("aurorax:AURORAX_ERR_NOT_READY",
                          "AURORAX_ERR_NOT_READY: the data is not in memory yet; wait first (aurorax.Search/wait, or 'wait' until it returns true)");
}

static void cmd_get_data(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    aurorax_search_t *s = search_arg(nrhs, prhs, 2, "aurorax_mex('get_data', s)");
    need_data(s);
    const char *json = aurorax_get_data(s);
    if (!json) fail_null(s);
    plhs[0] = text_out(json);
}

static void cmd_get_data_length(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    aurorax_search_t *s = search_arg(nrhs, prhs, 2, "aurorax_mex('get_data_length', s)");
    need_data(s);
    int64_t n = aurorax_get_data_length(s);
    if (n < 0) fail_search((int)n, s);
    plhs[0] = mxCreateDoubleScalar((double)n);
}

static void cmd_save_data(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)plhs;
    aurorax_search_t *s = search_arg(nrhs, prhs, 4, "aurorax_mex('save_data', s, path, format)");
    need_data(s);
    char *path = string_arg(prhs[2], "path");
    int format = (int)integer_arg(prhs[3], "format", -2147483648.0, 2147483647.0);
    int rc = aurorax_save_data(s, path, format);
    mxFree(path);
    if (rc != AURORAX_OK) fail_search(rc, s);
}

static void cmd_cancel(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)plhs;
    aurorax_search_t *s = search_arg(nrhs, prhs, 2, "aurorax_mex('cancel', s)");
    check_rc(aurorax_cancel(s));
}

typedef const char *(*text_fn)(aurorax_search_t *);
static void text_of(mxArray *plhs[], int nrhs, const mxArray *prhs[], text_fn fn, const char *usage) {
    aurorax_search_t *s = search_arg(nrhs, prhs, 2, usage);
    plhs[0] = text_out(fn(s));
}
static void cmd_request_id(int l, mxArray *p[], int n, const mxArray *r[]) { (void)l; text_of(p, n, r, aurorax_request_id, "aurorax_mex('request_id', s)"); }
static void cmd_request_url(int l, mxArray *p[], int n, const mxArray *r[]) { (void)l; text_of(p, n, r, aurorax_request_url, "aurorax_mex('request_url', s)"); }
static void cmd_search_error(int l, mxArray *p[], int n, const mxArray *r[]) { (void)l; text_of(p, n, r, aurorax_search_error, "aurorax_mex('search_error', s)"); }
static void cmd_get_status(int l, mxArray *p[], int n, const mxArray *r[]) { (void)l; text_of(p, n, r, aurorax_get_status, "aurorax_mex('get_status', s)"); }
static void cmd_get_logs(int l, mxArray *p[], int n, const mxArray *r[]) { (void)l; text_of(p, n, r, aurorax_get_logs, "aurorax_mex('get_logs', s)"); }

static void cmd_conjunctions_search_attach(int l, mxArray *p[], int n, const mxArray *r[]) {
    (void)l; one_string_search(p, n, r, aurorax_conjunctions_search_attach, "aurorax_mex('conjunctions_search_attach', request_id)");
}
static void cmd_ephemeris_search_attach(int l, mxArray *p[], int n, const mxArray *r[]) {
    (void)l; one_string_search(p, n, r, aurorax_ephemeris_search_attach, "aurorax_mex('ephemeris_search_attach', request_id)");
}
static void cmd_data_products_search_attach(int l, mxArray *p[], int n, const mxArray *r[]) {
    (void)l; one_string_search(p, n, r, aurorax_data_products_search_attach, "aurorax_mex('data_products_search_attach', request_id)");
}
static void cmd_data_sources_async(int l, mxArray *p[], int n, const mxArray *r[]) {
    (void)l; one_string_search(p, n, r, aurorax_data_sources_async, "aurorax_mex('data_sources_async', filter_json_or_empty)");
}

typedef aurorax_search_t *(*availability_fn)(const char *, const char *, const char *);
static void availability(mxArray *plhs[], int nrhs, const mxArray *prhs[], availability_fn fn, const char *usage) {
    need(nrhs, 4, usage);
    char *a[3];
    for (int i = 0; i < 3; i++) a[i] = string_arg(prhs[1 + i], "a text argument");
    aurorax_search_t *s = fn(a[0], a[1], a[2]);
    for (int i = 0; i < 3; i++) mxFree(a[i]);
    plhs[0] = register_search(s);
}
static void cmd_ephemeris_availability_async(int l, mxArray *p[], int n, const mxArray *r[]) {
    (void)l; availability(p, n, r, aurorax_ephemeris_availability_async, "aurorax_mex('ephemeris_availability_async', start_date, end_date, filter_json)");
}
static void cmd_data_products_availability_async(int l, mxArray *p[], int n, const mxArray *r[]) {
    (void)l; availability(p, n, r, aurorax_data_products_availability_async, "aurorax_mex('data_products_availability_async', start_date, end_date, filter_json)");
}

/* index = aurorax_mex('wait_any', handles, slice_seconds): the 1-based index of the first
 * (lowest) search that has ended -- ready, failed or cancelled -- or 0 when none did within
 * the slice. Like 'wait', never blocks for more than MAX_SLICE. */
static void cmd_wait_any(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    need(nrhs, 3, "aurorax_mex('wait_any', handles, slice_seconds)");
    if (!mxIsUint64(prhs[1]) || mxIsEmpty(prhs[1]))
        mexErrMsgIdAndTxt("aurorax:badHandle", "wait_any takes a non-empty uint64 array of search handles");
    size_t n = mxGetNumberOfElements(prhs[1]);
    if (n > 1000000) mexErrMsgIdAndTxt("aurorax:badArgument", "wait_any: too many searches");
    const uint64_t *ids = (const uint64_t *)mxGetData(prhs[1]);
    double slice = slice_of(number_arg(prhs[2], "slice_seconds"));
    aurorax_search_t **searches = mxMalloc(n * sizeof *searches);
    for (size_t i = 0; i < n; i++) searches[i] = table[find_id(ids[i])].search;
    int rc = aurorax_wait_any(searches, (int)n, slice);
    mxFree(searches);
    if (rc == AURORAX_ERR_TIMEOUT) rc = -1; /* none ended: 0 after the +1 below */
    else if (rc < 0) fail_returned(rc);
    plhs[0] = mxCreateDoubleScalar((double)rc + 1);
}

static void cmd_get_record_count(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    aurorax_search_t *s = search_arg(nrhs, prhs, 2, "aurorax_mex('get_record_count', s)");
    int64_t n = aurorax_get_record_count(s);
    if (n < 0) fail_search((int)n, s);
    plhs[0] = mxCreateDoubleScalar((double)n);
}

/* A record is a slice of the data buffer without a NUL: copied into a terminated buffer. */
static mxArray *record_text(aurorax_search_t *s, int64_t index) {
    int64_t length = -1;
    const char *text = aurorax_get_record(s, index, &length);
    if (!text || length < 0) fail_null(s);
    return length == 0 ? mxCreateString("") : utf8_string(text, (size_t)length);
}

static void cmd_get_record(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    aurorax_search_t *s = search_arg(nrhs, prhs, 3, "aurorax_mex('get_record', s, index_from_0)");
    plhs[0] = record_text(s, (int64_t)integer_arg(prhs[2], "index", -9007199254740992.0, 9007199254740992.0));
}

static void cmd_get_records(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    aurorax_search_t *s = search_arg(nrhs, prhs, 2, "aurorax_mex('get_records', s)");
    int64_t n = aurorax_get_record_count(s);
    if (n < 0) fail_search((int)n, s);
    mxArray *cells = mxCreateCellMatrix((size_t)n, 1);
    for (int64_t i = 0; i < n; i++) mxSetCell(cells, (size_t)i, record_text(s, i));
    plhs[0] = cells;
}

/* [text, done] = aurorax_mex('describe', s[, slice_seconds]): the server's description of the
 * query. aurorax_describe blocks up to the request timeout the first time, so it runs on a
 * thread of this file; this call waits for it at most a slice (MAX_SLICE by default) and
 * returns done = false and '' while it runs; the next call waits for the same request.
 * aurorax.Search/describe loops, interruptibly. A failure is raised once, by the call that
 * sees it; the call after it asks again. With one output a describe still running is
 * aurorax:AURORAX_ERR_TIMEOUT ("call again"), never '' passed off as the answer. */
static void cmd_describe(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    const char *usage = "[text, done] = aurorax_mex('describe', s, slice_seconds)";
    if (nrhs < 2) mexErrMsgIdAndTxt("aurorax:badArgument", "usage: %s", usage);
    entry_t *e = &table[find_slot(prhs[1])];
    if (nrhs != 2 && nrhs != 3) mexErrMsgIdAndTxt("aurorax:badArgument", "usage: %s", usage);
    double slice = nrhs == 3 ? slice_of(number_arg(prhs[2], "slice_seconds")) : MAX_SLICE;
    if (!e->describe) {
        job_t *j = calloc(1, sizeof *j);
        if (!j) mexErrMsgIdAndTxt("aurorax:outOfMemory", "no memory for a describe");
        j->search = e->search;
        pthread_mutex_lock(&jobs_lock);
        if (pthread_create(&j->thread, NULL, describe_thread, j) != 0) {
            pthread_mutex_unlock(&jobs_lock);
            free(j);
            mexErrMsgIdAndTxt("aurorax:AURORAX_ERR_INTERNAL", "describe: could not start a thread");
        }
        j->next = jobs;
        jobs = j;
        pthread_mutex_unlock(&jobs_lock);
        e->describe = j;
    }
    job_t *j = e->describe;
    pthread_mutex_lock(&jobs_lock);
    int done = wait_for_flag(&j->done, slice);
    if (done) unlink_job(j);
    pthread_mutex_unlock(&jobs_lock);
    if (!done) {
        if (nlhs < 2) mexErrMsgIdAndTxt("aurorax:AURORAX_ERR_TIMEOUT", "describe: the server has not answered yet; call again (aurorax.Search/describe waits for it)");
        plhs[0] = mxCreateString("");
        plhs[1] = mxCreateLogicalScalar(0);
        return;
    }
    e->describe = NULL;
    int status = j->status;
    char *message = NULL;
    if (j->message) { /* copied where MATLAB frees it, since the error does not return */
        size_t n = strlen(j->message) + 1;
        message = mxMalloc(n);
        memcpy(message, j->message, n);
    }
    finish_job(j);
    if (status != AURORAX_OK) fail_status(status, message);
    plhs[0] = text_out(aurorax_describe(e->search)); /* the library's cached text: at once */
    if (nlhs > 1) plhs[1] = mxCreateLogicalScalar(1);
}

static const char *phase_name(int phase) {
    switch (phase) {
    case AURORAX_PHASE_SUBMITTING: return "submitting";
    case AURORAX_PHASE_RUNNING: return "running";
    case AURORAX_PHASE_DOWNLOADING: return "downloading";
    case AURORAX_PHASE_READY: return "ready";
    default: return aurorax_status_name(phase); /* a failure: its status name */
    }
}

/* p = aurorax_mex('progress', s): phase (name), phase_code, bytes_received, bytes_expected
 * (NaN while unknown). Atomic reads; a failed search reports its status, not an error. */
static void cmd_progress(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    aurorax_search_t *s = search_arg(nrhs, prhs, 2, "aurorax_mex('progress', s)");
    int phase = aurorax_get_phase(s);
    int64_t received = aurorax_get_bytes_received(s), expected = aurorax_get_bytes_expected(s);
    const char *fields[] = {"phase", "phase_code", "bytes_received", "bytes_expected"};
    mxArray *p = mxCreateStructMatrix(1, 1, 4, fields);
    mxSetField(p, 0, "phase", text_out(phase_name(phase)));
    mxSetField(p, 0, "phase_code", mxCreateDoubleScalar(phase));
    mxSetField(p, 0, "bytes_received", mxCreateDoubleScalar(received < 0 ? 0 : (double)received));
    mxSetField(p, 0, "bytes_expected", mxCreateDoubleScalar(expected < 0 ? mxGetNaN() : (double)expected));
    plhs[0] = p;
}

static void cmd_set_max_result_bytes(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)plhs;
    need(nrhs, 2, "aurorax_mex('set_max_result_bytes', bytes)");
    check_rc(aurorax_set_max_result_bytes((int64_t)integer_arg(prhs[1], "bytes", -9007199254740992.0, 9007199254740992.0)));
}

static void cmd_set_log_level(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs; (void)plhs;
    need(nrhs, 2, "aurorax_mex('set_log_level', level)");
    check_rc(aurorax_set_log_level((int)integer_arg(prhs[1], "level", -1000, 1000)));
}

/* ---- columns (design.md 2.3): the records' values at a JSON Pointer, read by the library
 * straight from each record's text; nothing here decodes a whole result. ---------------- */

/* UTF-8 bytes as UTF-16 code units, as MATLAB's chars hold text: at most one unit per byte
 * (units has room for n). A malformed sequence becomes U+FFFD; code points above U+FFFF a
 * surrogate pair. Returns the number of units. */
static size_t utf8_to_utf16(const char *p, size_t n, uint16_t *units) {
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned c = (unsigned char)p[i];
        uint32_t cp, min;
        size_t more;
        if (c < 0x80) { cp = c; more = 0; min = 0; }
        else if ((c & 0xe0) == 0xc0) { cp = c & 0x1f; more = 1; min = 0x80; }
        else if ((c & 0xf0) == 0xe0) { cp = c & 0x0f; more = 2; min = 0x800; }
        else if ((c & 0xf8) == 0xf0) { cp = c & 0x07; more = 3; min = 0x10000; }
        else { cp = 0xfffd; more = 0; min = 0; }
        i++;
        for (size_t m = 0; m < more; m++, i++) {
            if (i >= n || ((unsigned char)p[i] & 0xc0) != 0x80) { cp = 0xfffd; min = 0; break; }
            cp = (cp << 6) | ((unsigned char)p[i] & 0x3f);
        }
        if (cp < min || (cp >= 0xd800 && cp < 0xe000) || cp > 0x10ffff) cp = 0xfffd; /* overlong, surrogate, too big */
        if (cp >= 0x10000) {
            cp -= 0x10000;
            units[k++] = (uint16_t)(0xd800 + (cp >> 10));
            units[k++] = (uint16_t)(0xdc00 + (cp & 0x3ff));
        } else {
            units[k++] = (uint16_t)cp;
        }
    }
    return k;
}

/* UTF-8 bytes (not NUL-terminated) as a 1-by-n char row ('' 0-by-0 when empty). Octave's
 * chars are the UTF-8 bytes themselves; MATLAB's are UTF-16 code units, decoded here (not
 * through mxCreateString, which reads the locale's code page before R2022a). Every text of
 * the library's that reaches MATLAB comes through here (text_out, cellstr_of, errors). */
static mxArray *utf8_string(const char *p, size_t n) {
    if (n == 0) return mxCreateString("");
#ifdef HAVE_OCTAVE
    mwSize dims[2] = {1, (mwSize)n};
    mxArray *v = mxCreateCharArray(2, dims);
    memcpy(mxGetData(v), p, n);
    return v;
#else
    uint16_t *units = mxMalloc(n * sizeof *units);
    size_t k = utf8_to_utf16(p, n, units);
    mwSize dims[2] = {1, (mwSize)k};
    mxArray *v = mxCreateCharArray(2, dims);
    mxChar *out = mxGetChars(v);
    for (size_t i = 0; i < k; i++) out[i] = (mxChar)units[i];
    mxFree(units);
    return v;
#endif
}

/* units = aurorax_mex('utf8_to_utf16', bytes): the UTF-16 code units (double row) that text
 * handed to MATLAB is made of, for UTF-8 given as a uint8 row. The decoder MATLAB builds use
 * for every text; a command so that the Octave tests, whose own chars are bytes, check it. */
static void cmd_utf8_to_utf16(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    need(nrhs, 2, "aurorax_mex('utf8_to_utf16', uint8_bytes)");
    if (!mxIsUint8(prhs[1])) mexErrMsgIdAndTxt("aurorax:badArgument", "bytes must be a uint8 array");
    size_t n = mxGetNumberOfElements(prhs[1]);
    uint16_t *units = mxMalloc((n ? n : 1) * sizeof *units);
    size_t k = utf8_to_utf16((const char *)mxGetData(prhs[1]), n, units);
    plhs[0] = mxCreateDoubleMatrix(1, k, mxREAL);
    double *d = mxGetPr(plhs[0]);
    for (size_t i = 0; i < k; i++) d[i] = units[i];
    mxFree(units);
}

/* n strings (p[i] with len[i] bytes of UTF-8; NULL or 0 bytes for '') as an n-by-1 cellstr.
 * MATLAB makes an mxArray per string quickly; Octave's MEX layer does not (about 5 us each:
 * 2 s for the 320,000 rows of a big events table). So under Octave the distinct strings go
 * to Octave in one char row split by ostrsplit at NUL separators (a builtin, well under 1 us
 * a string), and the rows are made by indexing that cell (Octave copies references, not
 * text). `dedupe`: strings that repeat (a source's name, a conjunction type) are sent
 * once. A value holding a NUL byte cannot be split that way, and long ones (over 512 bytes
 * on average: JSON texts of events) are cheaper one by one: then one mxArray per string. */
static mxArray *cellstr_of(const char *const *p, const size_t *len, size_t n, int dedupe) {
    mxArray *cells;
#ifdef HAVE_OCTAVE
    if (n == 0) return mxCreateCellMatrix(0, 1);
    size_t *rep = mxMalloc(n * sizeof *rep), k = 0, total = 0, empties = 0;
    mxArray *index = mxCreateDoubleMatrix(1, n, mxREAL); /* a row: uniq(index) is then 1-by-n whatever k is */
    double *idx = mxGetPr(index);
    size_t slots = 16;
    while (slots < 2 * n) slots *= 2;
    size_t *table = dedupe ? mxCalloc(slots, sizeof *table) : NULL; /* 1 + unique number; 0 empty */
    int has_nul = 0, need_index = 0;
    for (size_t i = 0; i < n; i++) {
        if (!p[i] || len[i] == 0) { idx[i] = 0; empties++; need_index = 1; continue; }
        if (table) {
            uint64_t h = 1469598103934665603u;
            for (size_t b = 0; b < len[i]; b++) h = (h ^ (unsigned char)p[i][b]) * 1099511628211u;
            size_t at = (size_t)h & (slots - 1);
            while (table[at]) {
                size_t j = rep[table[at] - 1];
                if (len[j] == len[i] && !memcmp(p[j], p[i], len[i])) break;
                at = (at + 1) & (slots - 1);
            }
            if (table[at]) { idx[i] = (double)table[at]; need_index = 1; continue; }
            table[at] = k + 1;
        }
        if (memchr(p[i], '\0', len[i])) has_nul = 1;
        rep[k++] = i;
        idx[i] = (double)k;
        total += len[i];
    }
    mxArray *uniq;
    if (k == 0) {
        uniq = mxCreateCellMatrix(1, 0);
    } else if (has_nul || total / k > 512) {
        /* long texts (a record's events): the fixed cost per mxArray is small beside the
         * copy, and ostrsplit's scan of every byte would cost more */
        uniq = mxCreateCellMatrix(1, k);
        for (size_t j = 0; j < k; j++) mxSetCell(uniq, j, utf8_string(p[rep[j]], len[rep[j]]));
    } else {
        mwSize dims[2] = {1, total + k - 1};
        mxArray *row = mxCreateCharArray(2, dims);
        char *o = mxGetData(row);
        for (size_t j = 0; j < k; j++) {
            if (j) *o++ = '\0';
            memcpy(o, p[rep[j]], len[rep[j]]);
            o += len[rep[j]];
        }
        mwSize one[2] = {1, 1};
        mxArray *sep = mxCreateCharArray(2, one); /* char(0) */
        mxArray *args[2] = {row, sep};
        mexCallMATLAB(1, &uniq, 2, args, "ostrsplit");
        mxDestroyArray(row);
        mxDestroyArray(sep);
    }
    if (empties) { /* '' (0-by-0, as jsondecode and mxCreateString make it) at index k + 1 */
        mxArray *blank = mxCreateCellMatrix(1, 1);
        mxSetCell(blank, 0, mxCreateString(""));
        mxArray *args[2] = {uniq, blank}, *joined;
        mexCallMATLAB(1, &joined, 2, args, "horzcat");
        uniq = joined;
        for (size_t i = 0; i < n; i++)
            if (idx[i] == 0) idx[i] = (double)(k + 1);
    }
    if (need_index) { /* uniq(index): a 1-by-n cell of references */
        const char *fields[] = {"type", "subs"};
        mxArray *sub = mxCreateStructMatrix(1, 1, 2, fields);
        mxArray *subs = mxCreateCellMatrix(1, 1);
        mxSetCell(subs, 0, index);
        mxSetField(sub, 0, "type", mxCreateString("()"));
        mxSetField(sub, 0, "subs", subs);
        mxArray *args[2] = {uniq, sub}, *picked;
        mexCallMATLAB(1, &picked, 2, args, "subsref");
        uniq = picked;
    }
    mxArray *arg = uniq;
    mexCallMATLAB(1, &cells, 1, &arg, "transpose");
    mxFree(rep);
    if (table) mxFree(table);
#else
    (void)dedupe;
    cells = mxCreateCellMatrix(n, 1);
    for (size_t i = 0; i < n; i++) mxSetCell(cells, i, p[i] && len[i] ? utf8_string(p[i], len[i]) : mxCreateString(""));
#endif
    return cells;
}

static char *path_arg(const mxArray *a) {
    a = as_chars(a, "path");
    if (!mxIsChar(a) || mxIsEmpty(a)) mexErrMsgIdAndTxt("aurorax:badArgument", "path must be a JSON Pointer as text, e.g. '/min_distance'");
    return string_arg(a, "path");
}

/* The count, or a failure raised with the search's status. */
static int64_t column_count(aurorax_search_t *s, int64_t rc) {
    if (rc < 0) fail_search((int)rc, s);
    return rc;
}

/* col = aurorax_mex('column_f64', s, path): N-by-1 double, NaN where null, missing or not a
 * number; true/false as 1/0. */
static void cmd_column_f64(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    aurorax_search_t *s = search_arg(nrhs, prhs, 3, "aurorax_mex('column_f64', s, path)");
    char *path = path_arg(prhs[2]);
    int64_t n = column_count(s, aurorax_get_column_f64(s, path, NULL, 0));
    mxArray *col = mxCreateDoubleMatrix((mwSize)n, 1, mxREAL);
    if (n > 0) column_count(s, aurorax_get_column_f64(s, path, mxGetPr(col), n));
    mxFree(path);
    plhs[0] = col;
}

/* col = aurorax_mex('column_text', s, path) / ('column_json', s, path): N-by-1 cellstr of the
 * strings (text: '' where null, missing or not a string) or of each value's JSON text
 * (json: '' where missing). */
typedef int64_t (*column_slices_fn)(aurorax_search_t *, const char *, const char **, int64_t *, int64_t);
static void column_of_slices(mxArray *plhs[], int nrhs, const mxArray *prhs[], column_slices_fn fn, const char *usage) {
    aurorax_search_t *s = search_arg(nrhs, prhs, 3, usage);
    char *path = path_arg(prhs[2]);
    int64_t n = column_count(s, fn(s, path, NULL, NULL, 0));
    const char **values = mxMalloc((size_t)(n > 0 ? n : 1) * sizeof *values);
    int64_t *lengths = mxMalloc((size_t)(n > 0 ? n : 1) * sizeof *lengths);
    if (n > 0) column_count(s, fn(s, path, values, lengths, n));
    mxFree(path);
    size_t *sizes = mxMalloc((size_t)(n > 0 ? n : 1) * sizeof *sizes);
    for (int64_t i = 0; i < n; i++) sizes[i] = values[i] && lengths[i] > 0 ? (size_t)lengths[i] : 0;
    /* text repeats (types, names): sent once each; JSON texts are mostly distinct */
    plhs[0] = cellstr_of(values, sizes, (size_t)n, fn == aurorax_get_column_text);
    mxFree(values);
    mxFree(lengths);
    mxFree(sizes);
}
static void cmd_column_text(int l, mxArray *p[], int n, const mxArray *r[]) {
    (void)l; column_of_slices(p, n, r, aurorax_get_column_text, "aurorax_mex('column_text', s, path)");
}
static void cmd_column_json(int l, mxArray *p[], int n, const mxArray *r[]) {
    (void)l; column_of_slices(p, n, r, aurorax_get_column_json, "aurorax_mex('column_json', s, path)");
}

/* ---- a conjunction result's events as one long table --------------------------------------
 * Each record's "/events" comes from aurorax_get_column_json (a slice of the record); the
 * small scanner below walks those arrays of event objects and keeps the flat fields. It is
 * not a general JSON decoder: it reads strings (unescaping them), numbers, true/false/null,
 * and skips anything else (nested objects it does not know, such as
 * generated_e1_ephemeris_query). */
typedef struct {
    const char *p, *end;
} scan_t;

static void scan_ws(scan_t *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) c->p++;
}

static int scan_is(scan_t *c, char ch) {
    scan_ws(c);
    if (c->p < c->end && *c->p == ch) { c->p++; return 1; }
    return 0;
}

/* A string starting at c->p (at its opening quote): its raw bytes between the quotes in
 * [*raw, *raw + *len) and whether it holds an escape. */
static int scan_string(scan_t *c, const char **raw, size_t *len, int *escaped) {
    scan_ws(c);
    if (c->p >= c->end || *c->p != '"') return 0;
    const char *start = ++c->p;
    *escaped = 0;
    while (c->p < c->end && *c->p != '"') {
        if (*c->p == '\\') { *escaped = 1; c->p++; }
        c->p++;
    }
    if (c->p >= c->end) return 0;
    *raw = start;
    *len = (size_t)(c->p - start);
    c->p++;
    return 1;
}

static int hex4(const char *p, uint32_t *out) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char h = p[i];
        v <<= 4;
        if (h >= '0' && h <= '9') v |= (uint32_t)(h - '0');
        else if (h >= 'a' && h <= 'f') v |= (uint32_t)(h - 'a' + 10);
        else if (h >= 'A' && h <= 'F') v |= (uint32_t)(h - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

/* The string's value as UTF-8 bytes: the raw bytes themselves, or when it holds escapes an
 * unescaped copy (mxMalloc'd: freed when the gateway call returns). */
static void string_value(const char *raw, size_t len, int escaped, const char **text, size_t *text_len) {
    if (!escaped) { *text = raw; *text_len = len; return; }
    char *out = mxMalloc(len + 1), *o = out;
    for (size_t i = 0; i < len; i++) {
        if (raw[i] != '\\' || i + 1 >= len) { *o++ = raw[i]; continue; }
        char e = raw[++i];
        uint32_t cp = 0;
        switch (e) {
        case 'n': *o++ = '\n'; continue;
        case 't': *o++ = '\t'; continue;
        case 'r': *o++ = '\r'; continue;
        case 'b': *o++ = '\b'; continue;
        case 'f': *o++ = '\f'; continue;
        case 'u':
            if (i + 4 >= len) { *o++ = '?'; continue; } /* cut short */
            if (!hex4(raw + i + 1, &cp)) { *o++ = '?'; continue; }
            i += 4;
            if (cp >= 0xd800 && cp < 0xdc00 && i + 6 < len && raw[i + 1] == '\\' && raw[i + 2] == 'u') {
                uint32_t lo;
                if (hex4(raw + i + 3, &lo) && lo >= 0xdc00 && lo < 0xe000) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    i += 6;
                }
            }
            if (cp >= 0xd800 && cp < 0xe000) cp = 0xfffd; /* a lone surrogate */
            if (cp < 0x80) *o++ = (char)cp;
            else if (cp < 0x800) { *o++ = (char)(0xc0 | (cp >> 6)); *o++ = (char)(0x80 | (cp & 0x3f)); }
            else if (cp < 0x10000) {
                *o++ = (char)(0xe0 | (cp >> 12)); *o++ = (char)(0x80 | ((cp >> 6) & 0x3f)); *o++ = (char)(0x80 | (cp & 0x3f));
            } else {
                *o++ = (char)(0xf0 | (cp >> 18)); *o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
                *o++ = (char)(0x80 | ((cp >> 6) & 0x3f)); *o++ = (char)(0x80 | (cp & 0x3f));
            }
            continue;
        default: *o++ = e; continue; /* \" \\ \/ */
        }
    }
    *text = out;
    *text_len = (size_t)(o - out);
}

/* Skips one value of any type; 0 on malformed input. */
static int scan_skip(scan_t *c, int depth) {
    scan_ws(c);
    if (c->p >= c->end || depth > 256) return 0;
    char ch = *c->p;
    if (ch == '"') {
        const char *raw; size_t len; int esc;
        return scan_string(c, &raw, &len, &esc);
    }
    if (ch == '{' || ch == '[') {
        char close = ch == '{' ? '}' : ']';
        c->p++;
        if (scan_is(c, close)) return 1;
        do {
            if (ch == '{') {
                const char *raw; size_t len; int esc;
                if (!scan_string(c, &raw, &len, &esc) || !scan_is(c, ':')) return 0;
            }
            if (!scan_skip(c, depth + 1)) return 0;
        } while (scan_is(c, ','));
        return scan_is(c, close);
    }
    while (c->p < c->end && *c->p != ',' && *c->p != '}' && *c->p != ']' && *c->p != ' ' && *c->p != '\n' && *c->p != '\t' && *c->p != '\r') c->p++;
    return 1;
}

/* A scalar value: a number (or true/false as 1/0) into *num, a string's UTF-8 into *text and
 * *text_len (when text is not NULL); anything else (null, objects, arrays) is skipped and
 * leaves them as they were (NaN, NULL). */
static int scan_scalar(scan_t *c, double *num, const char **text, size_t *text_len) {
    scan_ws(c);
    if (c->p >= c->end) return 0;
    char ch = *c->p;
    if (ch == '"') {
        const char *raw; size_t len; int esc;
        if (!scan_string(c, &raw, &len, &esc)) return 0;
        if (text) string_value(raw, len, esc, text, text_len);
        return 1;
    }
    if (ch == '-' || (ch >= '0' && ch <= '9')) {
        char buf[64];
        size_t k = 0;
        while (c->p < c->end && k < sizeof buf - 1 && strchr("+-0123456789.eE", *c->p)) buf[k++] = *c->p++;
        buf[k] = '\0';
        if (num) *num = strtod(buf, NULL);
        return 1;
    }
    if (c->end - c->p >= 4 && !memcmp(c->p, "true", 4)) { if (num) *num = 1; c->p += 4; return 1; }
    if (c->end - c->p >= 5 && !memcmp(c->p, "false", 5)) { if (num) *num = 0; c->p += 5; return 1; }
    return scan_skip(c, 0);
}

/* The event table's columns: name, the key in the event (source keys under e1_source or
 * e2_source), and whether it is a number. */
#define EVENT_SOURCE_FIELDS 6
static const struct { const char *key; int number; } source_fields[EVENT_SOURCE_FIELDS] = {
    {"identifier", 1}, {"program", 0}, {"platform", 0}, {"instrument_type", 0}, {"source_type", 0}, {"display_name", 0}};
#define EVENT_TOP_FIELDS 5
static const struct { const char *key, *name; int number; } top_fields[EVENT_TOP_FIELDS] = {
    {"conjunction_type", "conjunction_type", 0}, {"start", "start", 0}, {"end", "end_time", 0},
    {"min_distance", "min_distance", 1}, {"max_distance", "max_distance", 1}};
#define EVENT_COLUMNS (2 + EVENT_TOP_FIELDS + 2 * EVENT_SOURCE_FIELDS) /* record, event, ... */

static int key_is(const char *raw, size_t len, const char *key) {
    return strlen(key) == len && !memcmp(raw, key, len);
}

/* One event object into row `row` of the columns: numbers in num[col], text in
 * text[col] / text_len[col]. */
static int scan_event(scan_t *c, size_t row, double **num, const char ***text, size_t **text_len) {
    if (!scan_is(c, '{')) return scan_skip(c, 0); /* not an object: a row of NaN and '' */
    if (scan_is(c, '}')) return 1;
    do {
        const char *raw; size_t len; int esc;
        if (!scan_string(c, &raw, &len, &esc) || !scan_is(c, ':')) return 0;
        int col = -1, side = -1;
        for (int f = 0; f < EVENT_TOP_FIELDS && col < 0; f++)
            if (!esc && key_is(raw, len, top_fields[f].key)) col = 2 + f;
        if (!esc && key_is(raw, len, "e1_source")) side = 0;
        if (!esc && key_is(raw, len, "e2_source")) side = 1;
        if (col >= 0) {
            int number = top_fields[col - 2].number;
            if (!scan_scalar(c, number ? &num[col][row] : NULL, number ? NULL : &text[col][row], number ? NULL : &text_len[col][row])) return 0;
        } else if (side >= 0) {
            scan_ws(c);
            if (!scan_is(c, '{')) { if (!scan_skip(c, 0)) return 0; continue; }
            if (scan_is(c, '}')) continue;
            do {
                if (!scan_string(c, &raw, &len, &esc) || !scan_is(c, ':')) return 0;
                int sc = -1;
                for (int f = 0; f < EVENT_SOURCE_FIELDS && sc < 0; f++)
                    if (!esc && key_is(raw, len, source_fields[f].key)) sc = f;
                if (sc < 0) { if (!scan_skip(c, 1)) return 0; continue; }
                int k = 2 + EVENT_TOP_FIELDS + side * EVENT_SOURCE_FIELDS + sc;
                int number = source_fields[sc].number;
                if (!scan_scalar(c, number ? &num[k][row] : NULL, number ? NULL : &text[k][row], number ? NULL : &text_len[k][row])) return 0;
            } while (scan_is(c, ','));
            if (!scan_is(c, '}')) return 0;
        } else if (!scan_skip(c, 1)) {
            return 0;
        }
    } while (scan_is(c, ','));
    return scan_is(c, '}');
}

/* The number of elements of the array at c (0 when the value is not an array: null, missing). */
static int64_t scan_count(scan_t c) {
    int64_t n = 0;
    if (!scan_is(&c, '[')) return 0;
    if (scan_is(&c, ']')) return 0;
    do {
        if (!scan_skip(&c, 1)) return -1;
        n++;
    } while (scan_is(&c, ','));
    return scan_is(&c, ']') ? n : -1;
}

/* The events table of n records whose "/events" JSON texts are values[i] (lengths[i] bytes;
 * NULL where a record has none): a struct of E-by-1 columns, one row per event of every
 * record: record (1-based index of its record), event (1-based index within the record),
 * conjunction_type, start, end_time, min_distance, max_distance, e1_source_identifier,
 * e1_source_program, ..., e2_source_display_name. Numbers are double (NaN for null or
 * missing), text a cellstr ('' for null or missing). */
static mxArray *events_table(const char *const *values, const int64_t *lengths, int64_t n) {
    size_t total = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!values[i]) continue;
        scan_t c = {values[i], values[i] + lengths[i]};
        int64_t k = scan_count(c);
        if (k < 0) mexErrMsgIdAndTxt("aurorax:AURORAX_ERR_PROTOCOL", "record %lld: its events are not a JSON array", (long long)i + 1);
        total += (size_t)k;
    }
    const char *names[EVENT_COLUMNS];
    static char source_names[2 * EVENT_SOURCE_FIELDS][40];
    names[0] = "record";
    names[1] = "event";
    for (int f = 0; f < EVENT_TOP_FIELDS; f++) names[2 + f] = top_fields[f].name;
    for (int side = 0; side < 2; side++)
        for (int f = 0; f < EVENT_SOURCE_FIELDS; f++) {
            char *name = source_names[side * EVENT_SOURCE_FIELDS + f];
            snprintf(name, sizeof source_names[0], "e%d_source_%s", side + 1, source_fields[f].key);
            names[2 + EVENT_TOP_FIELDS + side * EVENT_SOURCE_FIELDS + f] = name;
        }
    double *num[EVENT_COLUMNS] = {0};
    const char **text[EVENT_COLUMNS] = {0};
    size_t *text_len[EVENT_COLUMNS] = {0};
    mxArray *col[EVENT_COLUMNS] = {0};
    for (int k = 0; k < EVENT_COLUMNS; k++) {
        int number = k < 2 || (k < 2 + EVENT_TOP_FIELDS ? top_fields[k - 2].number
                                                         : source_fields[(k - 2 - EVENT_TOP_FIELDS) % EVENT_SOURCE_FIELDS].number);
        if (number) {
            col[k] = mxCreateDoubleMatrix(total, 1, mxREAL);
            num[k] = mxGetPr(col[k]);
            for (size_t r = 0; r < total; r++) num[k][r] = mxGetNaN();
        } else {
            text[k] = mxCalloc(total ? total : 1, sizeof *text[k]);
            text_len[k] = mxCalloc(total ? total : 1, sizeof *text_len[k]);
        }
    }
    size_t row = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!values[i]) continue;
        scan_t c = {values[i], values[i] + lengths[i]};
        if (!scan_is(&c, '[') || scan_is(&c, ']')) continue;
        double e = 0;
        do {
            num[0][row] = (double)(i + 1);
            num[1][row] = ++e;
            if (!scan_event(&c, row, num, text, text_len))
                mexErrMsgIdAndTxt("aurorax:AURORAX_ERR_PROTOCOL", "record %lld: event %.0f is not valid JSON", (long long)i + 1, e);
            row++;
        } while (scan_is(&c, ','));
    }
    for (int k = 0; k < EVENT_COLUMNS; k++)
        if (text[k]) {
            col[k] = cellstr_of(text[k], text_len[k], total, 1);
            mxFree(text[k]);
            mxFree(text_len[k]);
        }
    mxArray *t = mxCreateStructMatrix(1, 1, EVENT_COLUMNS, names);
    for (int k = 0; k < EVENT_COLUMNS; k++) mxSetFieldByNumber(t, 0, k, col[k]);
    return t;
}

/* t = aurorax_mex('events', s): the events table of a search's records. */
static void cmd_events(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    aurorax_search_t *s = search_arg(nrhs, prhs, 2, "aurorax_mex('events', s)");
    int64_t n = column_count(s, aurorax_get_column_json(s, "/events", NULL, NULL, 0));
    const char **values = mxMalloc((size_t)(n > 0 ? n : 1) * sizeof *values);
    int64_t *lengths = mxMalloc((size_t)(n > 0 ? n : 1) * sizeof *lengths);
    if (n > 0) column_count(s, aurorax_get_column_json(s, "/events", values, lengths, n));
    plhs[0] = events_table(values, lengths, n);
    mxFree(values);
    mxFree(lengths);
}

/* t = aurorax_mex('events_from_json', texts): the same table from a cell array of each
 * record's events as JSON text ('' for none), e.g. get_data('columns').events. */
static void cmd_events_from_json(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    (void)nlhs;
    need(nrhs, 2, "aurorax_mex('events_from_json', texts)");
    const mxArray *texts = prhs[1];
    if (mxIsClass(texts, "string")) { /* a string array: its texts as a cellstr */
        texts = call_trapped("cellstr", texts);
        if (!texts) mexErrMsgIdAndTxt("aurorax:badArgument", "texts: a string array with <missing> elements");
    }
    if (!mxIsCell(texts)) mexErrMsgIdAndTxt("aurorax:badArgument", "texts must be a cell array of JSON texts");
    size_t n = mxGetNumberOfElements(texts);
    const char **values = mxMalloc((n ? n : 1) * sizeof *values);
    int64_t *lengths = mxMalloc((n ? n : 1) * sizeof *lengths);
    for (size_t i = 0; i < n; i++) {
        const mxArray *t = mxGetCell(texts, i);
        values[i] = NULL;
        lengths[i] = -1;
        if (!t || mxIsEmpty(t)) continue;
        char *text = string_arg(t, "each text");
        values[i] = text;
        lengths[i] = (int64_t)strlen(text);
    }
    plhs[0] = events_table(values, lengths, (int64_t)n);
    for (size_t i = 0; i < n; i++) mxFree((void *)values[i]);
    mxFree(values);
    mxFree(lengths);
}

static const struct {
    const char *name;
    command_fn fn;
} commands[] = {
    {"version", cmd_version},
    {"status_name", cmd_status_name},
    {"open_handles", cmd_open_handles},
    {"shutdown", cmd_shutdown},
    {"set_api_url", cmd_set_api_url},
    {"set_api_key", cmd_set_api_key},
    {"set_ca_bundle", cmd_set_ca_bundle},
    {"set_poll_interval", cmd_set_poll_interval},
    {"set_request_timeout", cmd_set_request_timeout},
    {"set_max_retries", cmd_set_max_retries},
    {"set_outage_tolerance", cmd_set_outage_tolerance},
    {"conjunctions_search_async", cmd_conjunctions_search_async},
    {"conjunctions_search_async_json", cmd_conjunctions_search_async_json},
    {"ephemeris_search_async", cmd_ephemeris_search_async},
    {"ephemeris_search_async_json", cmd_ephemeris_search_async_json},
    {"data_products_search_async", cmd_data_products_search_async},
    {"data_products_search_async_json", cmd_data_products_search_async_json},
    {"free", cmd_free},
    {"check_for_data", cmd_check_for_data},
    {"wait", cmd_wait},
    {"get_data", cmd_get_data},
    {"get_data_length", cmd_get_data_length},
    {"cancel", cmd_cancel},
    {"save_data", cmd_save_data},
    {"request_id", cmd_request_id},
    {"request_url", cmd_request_url},
    {"search_error", cmd_search_error},
    {"get_status", cmd_get_status},
    {"get_logs", cmd_get_logs},
    {"conjunctions_search_attach", cmd_conjunctions_search_attach},
    {"ephemeris_search_attach", cmd_ephemeris_search_attach},
    {"data_products_search_attach", cmd_data_products_search_attach},
    {"data_sources_async", cmd_data_sources_async},
    {"ephemeris_availability_async", cmd_ephemeris_availability_async},
    {"data_products_availability_async", cmd_data_products_availability_async},
    {"wait_any", cmd_wait_any},
    {"get_record_count", cmd_get_record_count},
    {"get_record", cmd_get_record},
    {"get_records", cmd_get_records},
    {"describe", cmd_describe},
    {"progress", cmd_progress},
    {"set_max_result_bytes", cmd_set_max_result_bytes},
    {"set_spool_threshold", cmd_set_spool_threshold},
    {"set_log_level", cmd_set_log_level},
    {"column_f64", cmd_column_f64},
    {"column_text", cmd_column_text},
    {"column_json", cmd_column_json},
    {"events", cmd_events},
    {"events_from_json", cmd_events_from_json},
    {"utf8_to_utf16", cmd_utf8_to_utf16},
};

void mexFunction(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    if (!at_exit_registered) {
        mexAtExit(release_everything);
        at_exit_registered = 1;
    }
    reap_orphans();
    if (nrhs < 1) mexErrMsgIdAndTxt("aurorax:badArgument", "the first argument is a command name");
    const mxArray *name = as_chars(prhs[0], "the command name");
    if (!mxIsChar(name) || mxGetM(name) > 1) mexErrMsgIdAndTxt("aurorax:badArgument", "the first argument is a command name");
    char cmd[64];
    if (mxGetString(name, cmd, sizeof cmd)) mexErrMsgIdAndTxt("aurorax:unknownCommand", "unknown command (longer than any command name)");
    if (!strcmp(cmd, "commands")) { /* the list, so the M-code tests can check each is reachable */
        size_t n = sizeof commands / sizeof commands[0];
        plhs[0] = mxCreateCellMatrix(n, 1);
        for (size_t i = 0; i < n; i++) mxSetCell(plhs[0], i, text_out(commands[i].name));
        return;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name)) {
            commands[i].fn(nlhs, plhs, nrhs, prhs);
            return;
        }
    mexErrMsgIdAndTxt("aurorax:unknownCommand", "unknown command '%s'", cmd);
}
