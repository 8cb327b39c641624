"""
    AuroraX

Asynchronous AuroraX searches (conjunctions, ephemeris, data products), data-source
discovery and availability, through libaurorax's C ABI.

Which library: `ENV["AURORAX_LIB"]` if set when the library is first needed in a session,
else the `libaurorax` preference (see [`set_library!`](@ref)), else `libaurorax` on the
loader path. Nothing about the library is decided at precompile time.

    using AuroraX
    s = conjunctions_search("2019-01-01T00:00:00", "2019-01-31T23:59:59",
            \"\"\"[{"programs": ["themis-asi"]}]\"\"\", \"\"\"[{"programs": ["swarm"]}]\"\"\", 500.0)
    wait_for(s, 600.0; progress = true) || error("still running after 10 minutes")
    json = get_data(s)           # or records(s): one JSON text per record
"""
module AuroraX

using Libdl
using Preferences

export Search, AuroraXError, conjunctions_search, conjunctions_search_json, ephemeris_search,
       ephemeris_search_json, data_products_search, data_products_search_json, attach,
       data_sources, ephemeris_availability, data_products_availability, check_for_data,
       wait_for, wait_any, get_data, record_count, get_record, records, column_f64, column_text,
       column_json, columns, save_data, query_description, progress,
       cancel, request_id, request_url, logs, status, search_error, set_api_url, set_api_key,
       set_ca_bundle, set_poll_interval, set_request_timeout, set_max_retries, set_outage_tolerance,
       set_max_result_bytes, set_spool_threshold,
       set_log_level, shutdown, version, status_name, statuses, status_code, library_path, set_library!

# ---- the library ------------------------------------------------------------------------
# Loaded at the first call of a session, not at precompile time, so a changed AURORAX_LIB or
# preference takes effect in the next session without recompiling. Every function pointer
# is resolved once under a lock; afterwards FUNCTIONS is only read, without a lock, which
# keeps the finalizer (which may not take locks) safe.

const FUNCTIONS = Dict{Symbol,Ptr{Cvoid}}()
const LOADED = Threads.Atomic{Bool}(false)
const LOAD_LOCK = ReentrantLock()
const LOADED_FROM = Ref{String}("")

# every C function a ccall below names (check_ccalls.py checks the two lists agree)
const C_FUNCTIONS = (
    :aurorax_version, :aurorax_status_name, :aurorax_last_error, :aurorax_last_status,
    :aurorax_set_api_url, :aurorax_set_api_key, :aurorax_set_ca_bundle, :aurorax_set_poll_interval, :aurorax_set_request_timeout,
    :aurorax_set_max_retries, :aurorax_set_outage_tolerance, :aurorax_set_max_result_bytes, :aurorax_set_log_level,
    :aurorax_shutdown, :aurorax_conjunctions_search_async, :aurorax_conjunctions_search_async_json,
    :aurorax_ephemeris_search_async, :aurorax_ephemeris_search_async_json,
    :aurorax_data_products_search_async, :aurorax_data_products_search_async_json,
    :aurorax_conjunctions_search_attach, :aurorax_ephemeris_search_attach,
    :aurorax_data_products_search_attach, :aurorax_data_sources_async,
    :aurorax_ephemeris_availability_async, :aurorax_data_products_availability_async,
    :aurorax_check_for_data, :aurorax_wait_any, :aurorax_get_data, :aurorax_get_data_length,
    :aurorax_get_record_count, :aurorax_get_record, :aurorax_describe, :aurorax_get_phase,
    :aurorax_get_bytes_received, :aurorax_get_bytes_expected, :aurorax_cancel,
    :aurorax_request_id, :aurorax_request_url, :aurorax_search_error, :aurorax_get_status,
    :aurorax_get_logs, :aurorax_free, :aurorax_get_column_f64, :aurorax_get_column_text,
    :aurorax_get_column_json, :aurorax_save_data, :aurorax_set_spool_threshold,
)

function __init__()
    # a precompile cache never carries pointers from the session that built it
    empty!(FUNCTIONS)
    LOADED[] = false
    STATUSES[] = nothing
    return nothing
end

"""
    library_path() -> String

The libaurorax this session loads (or has loaded): `ENV["AURORAX_LIB"]` when set, else the
`libaurorax` preference saved by [`set_library!`](@ref), else `"libaurorax"` (found on the
loader path). Read at run time, when the first AuroraX function is called.
"""
function library_path()
    LOADED[] && return LOADED_FROM[]
    from_env = get(ENV, "AURORAX_LIB", "")
    isempty(from_env) || return from_env
    preference = load_preference(@__MODULE__, "libaurorax", nothing)
    return preference === nothing ? "libaurorax" : String(preference)
end

"""
    set_library!(path)

Saves `path` as the `libaurorax` preference (LocalPreferences.toml of the active project),
used from the next Julia session on unless `AURORAX_LIB` is set. The library already loaded
in this session stays loaded.
"""
function set_library!(path::AbstractString)
    set_preferences!(@__MODULE__, "libaurorax" => String(path); force = true)
    return nothing
end

function load!()
    lock(LOAD_LOCK) do
        LOADED[] && return nothing
        path = library_path()
        handle = Libdl.dlopen(path)   # throws, naming the path, when it cannot be loaded
        for name in C_FUNCTIONS
            FUNCTIONS[name] = Libdl.dlsym_e(handle, name)   # C_NULL when missing: sym() says which
        end
        LOADED_FROM[] = path
        LOADED[] = true
        return nothing
    end
end

# The function pointer of a C function; loads the library on first use.
function sym(name::Symbol)
    LOADED[] || load!()
    p = get(FUNCTIONS, name, C_NULL)
    p == C_NULL && error("$(LOADED_FROM[]) has no $name: a libaurorax older than this package?")
    return p
end

# ---- errors -----------------------------------------------------------------------------

"""
    AuroraXError(status, name, message)

A libaurorax failure: `status`, the library's status number (negative), taken from the
failing call's return value or `aurorax_last_status`, never from the message; `name`, its
name as the library gives it (e.g. `"AURORAX_ERR_SEARCH_FAILED"`); and `message` (for a
failed search, the server's reason: its wording decides nothing). Branch on `status`:

    try
        wait_for(s, 600.0)
    catch e
        e isa AuroraXError && e.status == status_code(:AURORAX_ERR_TLS) || rethrow()
        # ... the server's certificate is not trusted: set_ca_bundle(...)
    end
"""
struct AuroraXError <: Exception
    status::Int
    name::String
    message::String
end

# The library's messages begin with their status's name ("AURORAX_ERR_TIMEOUT: no answer
# within 30.0 s"), so the name is printed only when the message does not already begin with
# it: once either way. (For display only: `status` never comes from the message.)
Base.showerror(io::IO, e::AuroraXError) =
    startswith(e.message, e.name * ":") ? print(io, e.message) : print(io, e.name, ": ", e.message)

"""
    status_name(code) -> String

The library's name for a status code, e.g. `status_name(-8) == "AURORAX_ERR_TIMEOUT"`.
"""
status_name(code::Integer) = unsafe_string(ccall(sym(:aurorax_status_name), Cstring, (Cint,), code))

last_error() = unsafe_string(ccall(sym(:aurorax_last_error), Cstring, ()))

# The status of this thread's most recent failing call: the number that goes with
# last_error(). Read right after the call that failed, with no yield in between (a task only
# changes threads when it yields; finalizers that run meanwhile only call aurorax_free, which
# never fails, so they do not replace it).
last_status() = Int(ccall(sym(:aurorax_last_status), Cint, ()))

"""
    version() -> String

The loaded library's version, e.g. `"0.2.0"`.
"""
version() = unsafe_string(ccall(sym(:aurorax_version), Cstring, ()))

# The statuses by name, read from the library (aurorax_status_name over 0, -1, ..., -255) the
# first time one is needed: never copied here, so they cannot drift from the library's.
const STATUSES = Ref{Union{Nothing,Dict{String,Int}}}(nothing)

function status_table()
    table = STATUSES[]
    table === nothing || return table
    table = Dict{String,Int}()
    for code in 0:-1:-255
        name = status_name(code)
        name == "AURORAX_UNKNOWN_STATUS" || (table[name] = code)
    end
    STATUSES[] = table   # two tasks racing here build the same table
    return table
end

"""
    statuses() -> Dict{String,Int}

Every status the library has, by name, as the library numbers it (read from
`aurorax_status_name` over a range, never copied into this package), e.g.
`statuses()["AURORAX_ERR_TLS"]`. Compare `AuroraXError`'s `status` with these.
"""
statuses() = copy(status_table())

"""
    status_code(name) -> Int

The library's number for a status name, e.g. `status_code(:AURORAX_ERR_SEARCH_FAILED)`, for
branching on an `AuroraXError`: `e.status == status_code(:AURORAX_ERR_TLS)`. An unknown name
is an `ArgumentError`.
"""
function status_code(name::Union{AbstractString,Symbol})
    code = get(status_table(), String(name), nothing)
    code === nothing && throw(ArgumentError("status_code: the library has no status named $name"))
    return code
end

# A failure reported only through aurorax_last_error (a call that returned NULL): its status
# is aurorax_last_status, never read from the message's words.
function last_failure()
    code = last_status()
    return AuroraXError(code, status_name(code), last_error())
end

# a status without a handle: the message is this thread's last error
function check(code::Integer)
    code >= 0 && return code
    throw(AuroraXError(code, status_name(code), last_error()))
end

# ---- searches ---------------------------------------------------------------------------

"""
    Search

A search (or data-source / availability request) running in libaurorax. Made by the search
functions ([`conjunctions_search`](@ref), [`attach`](@ref), [`data_sources`](@ref), ...);
followed with [`check_for_data`](@ref), [`wait_for`](@ref), [`wait_any`](@ref); read with
[`get_data`](@ref), [`records`](@ref). Freed by a finalizer or `close(s)`; neither cancels
it on the server ([`cancel`](@ref) does).
"""
mutable struct Search
    ptr::Ptr{Cvoid}
    kind::Symbol
    started::Float64
    function Search(ptr::Ptr{Cvoid}, kind::Symbol)
        ptr == C_NULL && throw(last_failure())
        s = new(ptr, kind, time())
        finalizer(free!, s)
        return s
    end
end

# ccall(..., (Ptr{Cvoid},), s) passes s.ptr and keeps s (so its handle) alive during the call
Base.cconvert(::Type{Ptr{Cvoid}}, s::Search) = s
Base.unsafe_convert(::Type{Ptr{Cvoid}}, s::Search) = s.ptr

function free!(s::Search)
    if s.ptr != C_NULL
        ccall(sym(:aurorax_free), Cvoid, (Ptr{Cvoid},), s.ptr)
        s.ptr = C_NULL
    end
    return nothing
end

"""
    close(s::Search)

Frees the search now (its strings and data with it) instead of at garbage collection. It is
not cancelled on the server. Using `s` afterwards is an `AuroraXError` (invalid argument).
"""
Base.close(s::Search) = free!(s)

Base.show(io::IO, s::Search) = print(io, "AuroraX.Search(:", s.kind, ", ", something(request_id(s), "not submitted"), ")")

# an error for a failure on a handle: `code` is the library's status (a return value, or
# last_status() read at once after a call that returned NULL); the message is the search's
# own reason when the search ended with that status, else this thread's last error
function search_failure(code::Integer, s::Search)
    own = ccall(sym(:aurorax_check_for_data), Cint, (Ptr{Cvoid},), s) == code ? search_error(s) : nothing
    return AuroraXError(code, status_name(code), own === nothing ? last_error() : own)
end

text_or_nothing(p::Ptr{UInt8}) = p == C_NULL ? nothing : unsafe_string(p)

# A foreign call that may block for seconds (describe's HTTP request, shutdown, writing a
# result file), made in a GC-safe region. A thread inside an ordinary ccall cannot reach a
# safepoint, so in a threaded session a garbage collection started by any other thread waits
# for it, and every thread stalls until the call returns. The library never touches Julia
# memory, so the call may run while a collection does: the function pointer and every
# argument are converted (and preserved) first, then the thread enters a GC-safe region for
# the call alone. This is the pattern of Base's own SystemMutex lock (JuliaLang/julia#51574);
# Julia 1.12's `@ccall gc_safe = true` does the same. (`@threadcall` is no help: its worker
# thread is adopted by Julia and GC-unsafe during the call, JuliaLang/julia#55956.)
macro gc_safe_ccall(fn, rettype, argtypes, args...)
    types = argtypes.args
    length(types) == length(args) || error("@gc_safe_ccall: $(length(types)) types for $(length(args)) arguments")
    fptr = gensym("fptr")
    kept = [gensym("kept") for _ in args]
    raw = [gensym("raw") for _ in args]
    state = gensym("gc_state")
    result = gensym("result")
    keep = [:($(kept[i]) = Base.cconvert($(esc(types[i])), $(esc(args[i])))) for i in eachindex(args)]
    converting = [:($(raw[i]) = Base.unsafe_convert($(esc(types[i])), $(kept[i]))) for i in eachindex(args)]
    call = quote
        $(converting...)
        $state = ccall(:jl_gc_safe_enter, Int8, ())
        $result = ccall($fptr, $(esc(rettype)), ($(map(esc, types)...),), $(raw...))
        ccall(:jl_gc_safe_leave, Cvoid, (Int8,), $state)
        $result
    end
    return quote
        $fptr = $(esc(fn))
        $(keep...)
        $(isempty(args) ? call : :(GC.@preserve $(kept...) $call))
    end
end
optional(x) = x === nothing ? C_NULL : x

"""
    conjunctions_search(start, stop, ground_json, space_json, distance_km) -> Search

Starts a conjunction search and returns at once. `start`/`stop` are `"YYYY-MM-DDTHH:MM:SS"`
(UTC); `ground_json`/`space_json` are JSON arrays of criteria blocks as the AuroraX docs write
them (`nothing` for none); `distance_km` fills every `max_distances` pair. Bad input throws
`AuroraXError` (`AURORAX_ERR_INVALID_ARGUMENT`) naming the argument; nothing is sent.
"""
conjunctions_search(start::AbstractString, stop::AbstractString, ground_json, space_json, distance_km::Real) =
    Search(ccall(sym(:aurorax_conjunctions_search_async), Ptr{Cvoid},
                 (Cstring, Cstring, Cstring, Cstring, Cdouble), start, stop, optional(ground_json), optional(space_json), distance_km),
           :conjunctions)

"""
    conjunctions_search_json(query_json) -> Search

Starts a conjunction search from a full request object (events, custom locations,
`max_distances`, `conjunction_types`, precision, ...) given as JSON text.
"""
conjunctions_search_json(query_json::AbstractString) =
    Search(ccall(sym(:aurorax_conjunctions_search_async_json), Ptr{Cvoid}, (Cstring,), query_json), :conjunctions)

"""
    ephemeris_search(start, stop, data_sources_json) -> Search

Starts an ephemeris search; `data_sources_json` is the data_sources object, e.g.
`\"\"\"{"programs": ["swarm"], "platforms": ["swarma"]}\"\"\"`.
"""
ephemeris_search(start::AbstractString, stop::AbstractString, data_sources_json::AbstractString) =
    Search(ccall(sym(:aurorax_ephemeris_search_async), Ptr{Cvoid},
                 (Cstring, Cstring, Cstring), start, stop, data_sources_json), :ephemeris)

"""
    ephemeris_search_json(query_json) -> Search

Starts an ephemeris search from a full request object given as JSON text.
"""
ephemeris_search_json(query_json::AbstractString) =
    Search(ccall(sym(:aurorax_ephemeris_search_async_json), Ptr{Cvoid}, (Cstring,), query_json), :ephemeris)

"""
    data_products_search(start, stop, data_sources_json, types_json = nothing) -> Search

Starts a data-product search; `types_json` is e.g. `\"\"\"["keogram"]\"\"\"`, or `nothing`
for every type.
"""
data_products_search(start::AbstractString, stop::AbstractString, data_sources_json::AbstractString, types_json = nothing) =
    Search(ccall(sym(:aurorax_data_products_search_async), Ptr{Cvoid},
                 (Cstring, Cstring, Cstring, Cstring), start, stop, data_sources_json, optional(types_json)),
           :data_products)

"""
    data_products_search_json(query_json) -> Search

Starts a data-product search from a full request object given as JSON text.
"""
data_products_search_json(query_json::AbstractString) =
    Search(ccall(sym(:aurorax_data_products_search_async_json), Ptr{Cvoid}, (Cstring,), query_json), :data_products)

"""
    attach(kind, request_id) -> Search

Follows a search submitted earlier (by this program, another one, or the AuroraX website)
by its request id; `kind` is `:conjunctions`, `:ephemeris` or `:data_products`. A malformed
id throws at once; an id the server does not know fails the search (`AURORAX_ERR_API`).
"""
function attach(kind::Symbol, request_id::AbstractString)
    ptr = if kind === :conjunctions
        ccall(sym(:aurorax_conjunctions_search_attach), Ptr{Cvoid}, (Cstring,), request_id)
    elseif kind === :ephemeris
        ccall(sym(:aurorax_ephemeris_search_attach), Ptr{Cvoid}, (Cstring,), request_id)
    elseif kind === :data_products
        ccall(sym(:aurorax_data_products_search_attach), Ptr{Cvoid}, (Cstring,), request_id)
    else
        throw(ArgumentError("attach: kind must be :conjunctions, :ephemeris or :data_products, not :$kind"))
    end
    return Search(ptr, kind)
end

"""
    data_sources(filter_json = nothing) -> Search

Lists the data sources matching a filter object (JSON text) with any of `program`,
`platform`, `instrument_type`, `source_type`, `owner` and `format` (`"basic_info"` by
default; `"full_record"` carries each source's metadata schemas, i.e. the valid filter keys).
`nothing` or `"{}"`: every source. Followed and read like a search.
"""
data_sources(filter_json = nothing) =
    Search(ccall(sym(:aurorax_data_sources_async), Ptr{Cvoid}, (Cstring,), optional(filter_json)), :data_sources)

"""
    ephemeris_availability(start_date, end_date, filter_json = nothing) -> Search

Per data source and day (`"YYYY-MM-DD"`, inclusive), how many ephemeris records exist.
Each record is `{"data_source": {...}, "available_ephemeris": {"YYYY-MM-DD": count}}`.
"""
ephemeris_availability(start_date::AbstractString, end_date::AbstractString, filter_json = nothing) =
    Search(ccall(sym(:aurorax_ephemeris_availability_async), Ptr{Cvoid}, (Cstring, Cstring, Cstring),
                 start_date, end_date, optional(filter_json)), :ephemeris_availability)

"""
    data_products_availability(start_date, end_date, filter_json = nothing) -> Search

As [`ephemeris_availability`](@ref) for data products (the filter may also hold
`data_product_type`); records carry `available_data_products`.
"""
data_products_availability(start_date::AbstractString, end_date::AbstractString, filter_json = nothing) =
    Search(ccall(sym(:aurorax_data_products_availability_async), Ptr{Cvoid}, (Cstring, Cstring, Cstring),
                 start_date, end_date, optional(filter_json)), :data_products_availability)

# ---- following them ---------------------------------------------------------------------

"""
    check_for_data(s) -> Bool

`true` when the data is in memory; answered from memory (an atomic read, never I/O). Throws
`AuroraXError` if the search failed or was cancelled.
"""
function check_for_data(s::Search)
    code = ccall(sym(:aurorax_check_for_data), Cint, (Ptr{Cvoid},), s)
    code < 0 && throw(search_failure(code, s))
    return code == 1
end

const PHASES = (:submitting, :running, :downloading, :ready)

"""
    progress(s) -> NamedTuple

`(phase, bytes_received, bytes_expected, elapsed)`: `phase` is `:submitting`, `:running`,
`:downloading`, `:ready`, or the failure's status name as a Symbol (e.g.
`:AURORAX_ERR_CANCELLED`); `bytes_expected` is `nothing` while unknown; `elapsed` is the
seconds since the search object was made. Atomic reads, never I/O.
"""
function progress(s::Search)
    code = ccall(sym(:aurorax_get_phase), Cint, (Ptr{Cvoid},), s)
    received = ccall(sym(:aurorax_get_bytes_received), Int64, (Ptr{Cvoid},), s)
    expected = ccall(sym(:aurorax_get_bytes_expected), Int64, (Ptr{Cvoid},), s)
    phase = 0 <= code <= 3 ? PHASES[code + 1] : Symbol(status_name(code))
    return (phase = phase, bytes_received = max(received, 0),
            bytes_expected = expected < 0 ? nothing : expected, elapsed = time() - s.started)
end

function print_progress(io::IO, s::Search)
    p = progress(s)
    id = something(request_id(s), "(not submitted)")
    id = length(id) > 8 ? id[1:8] : id
    bytes = if p.bytes_received > 0 || p.phase in (:downloading, :ready)
        p.bytes_expected === nothing ? string(", ", round(p.bytes_received / 1e6; digits = 1), " MB received") :
            string(", ", round(p.bytes_received / 1e6; digits = 1), " of ", round(p.bytes_expected / 1e6; digits = 1), " MB")
    else
        ""
    end
    println(io, "aurorax ", s.kind, " ", id, ": ", p.phase, ", ", round(p.elapsed; digits = 1), " s", bytes)
    return nothing
end

"""
    wait_for(s, timeout_seconds = 0; progress = false, io = stderr, every = 2.0) -> Bool

Waits until the data is in memory (`true`) or `timeout_seconds` pass (`false`; the search
goes on; `<= 0`: no limit). Throws `AuroraXError` if the search fails or is cancelled.
It polls the library's in-memory state and `sleep`s between polls (5 ms growing to 100 ms),
so other tasks, the scheduler and the garbage collector run while it waits; there is no
blocking foreign call. With `progress = true` it prints to `io`, every `every` seconds and
at the end, the phase, the elapsed time and MB received of expected.
Named `wait_for` rather than extending `Base.wait`, whose contract (no timeout, no result)
differs.
"""
function wait_for(s::Search, timeout_seconds::Real = 0; progress::Bool = false, io::IO = stderr, every::Real = 2.0)
    isnan(timeout_seconds) && throw(ArgumentError("timeout_seconds is NaN"))
    deadline = timeout_seconds > 0 ? time() + timeout_seconds : Inf
    interval = 0.005
    last_line = -Inf
    while true
        code = ccall(sym(:aurorax_check_for_data), Cint, (Ptr{Cvoid},), s)
        if progress && (code != 0 || time() - last_line >= every)
            print_progress(io, s)
            last_line = time()
        end
        code == 1 && return true
        code < 0 && throw(search_failure(code, s))
        left = deadline - time()
        left <= 0 && return false
        sleep(max(min(interval, left), 0.001))   # yields to the scheduler
        interval = min(interval * 1.5, 0.1)
    end
end

"""
    wait_any(searches, timeout_seconds = 0) -> Int

Waits until one of `searches` has ended (data ready, failed or cancelled) and returns its
index (the lowest such, from 1); `0` when none ended within `timeout_seconds` (`<= 0`: no
limit). It does not throw a search's failure: look at `searches[i]`. Like [`wait_for`](@ref)
it sleeps between short checks (each a library call bounded to 1 ms), so the scheduler runs.
"""
function wait_any(searches::AbstractVector{Search}, timeout_seconds::Real = 0)
    isempty(searches) && throw(ArgumentError("wait_any: no searches"))
    isnan(timeout_seconds) && throw(ArgumentError("timeout_seconds is NaN"))
    any(s -> s.ptr == C_NULL, searches) && throw(ArgumentError("wait_any: a search has been closed"))
    deadline = timeout_seconds > 0 ? time() + timeout_seconds : Inf
    interval = 0.005
    while true
        handles = Ptr{Cvoid}[s.ptr for s in searches]
        code = GC.@preserve searches ccall(sym(:aurorax_wait_any), Cint, (Ptr{Ptr{Cvoid}}, Cint, Cdouble),
                                          handles, length(handles), 0.001)
        code >= 0 && return code + 1
        code == status_code(:AURORAX_ERR_TIMEOUT) || check(code)
        left = deadline - time()
        left <= 0 && return 0
        sleep(max(min(interval, left), 0.001))
        interval = min(interval * 1.5, 0.1)
    end
end

# before reading: wait (yielding) until the data is in, so the read never blocks the thread
function ready!(s::Search)
    wait_for(s)
    return s
end

"""
    get_data(s) -> String

The records as the JSON array the API returned (parse with JSON3.jl or JSON.jl). Waits
first, as [`wait_for`](@ref) does, if the data is not in memory yet.
"""
function get_data(s::Search)
    ready!(s)
    GC.@preserve s begin
        # in memory after ready!, so these return at once; GC-safe all the same, since the
        # header says they block while a download lasts
        p = @gc_safe_ccall(sym(:aurorax_get_data), Ptr{UInt8}, (Ptr{Cvoid},), s)
        p == C_NULL && throw(search_failure(last_status(), s))
        n = @gc_safe_ccall(sym(:aurorax_get_data_length), Int64, (Ptr{Cvoid},), s)
        return unsafe_string(p, n)
    end
end

"""
    record_count(s) -> Int

The number of records; throws `AuroraXError` (`AURORAX_ERR_NOT_READY`) before the data is in.
"""
function record_count(s::Search)
    n = ccall(sym(:aurorax_get_record_count), Int64, (Ptr{Cvoid},), s)
    n < 0 && throw(search_failure(n, s))
    return Int(n)
end

"""
    get_record(s, i) -> String

The `i`-th record (from 1) as JSON text; throws `AuroraXError` for a bad index or a search
without data.
"""
function get_record(s::Search, i::Integer)
    len = Ref{Int64}(-1)
    GC.@preserve s begin
        p = ccall(sym(:aurorax_get_record), Ptr{UInt8}, (Ptr{Cvoid}, Int64, Ref{Int64}), s, i - 1, len)
        p == C_NULL && throw(search_failure(last_status(), s))
        return unsafe_string(p, len[])   # a slice of the data, not NUL-terminated: copied by length
    end
end

"""
    records(s) -> Vector{String}

Every record's JSON text, in order, without a JSON parser. Waits first if needed.
"""
records(s::Search) = [get_record(s, i) for i in 1:record_count(ready!(s))]

"""
    save_data(s, path; ndjson = false)

Writes the result to the file `path`: the JSON array of records, or with `ndjson = true`
one record per line. Written under a temporary name and renamed when complete, so `path`
never holds a partial result. Waits first, as [`get_data`](@ref) does; throws
`AuroraXError` with the status on failure (`AURORAX_ERR_INVALID_ARGUMENT` naming the file
when it cannot be written).
"""
function save_data(s::Search, path::AbstractString; ndjson::Bool = false)
    ready!(s)
    GC.@preserve s begin
        rc = @gc_safe_ccall(sym(:aurorax_save_data), Cint, (Ptr{Cvoid}, Cstring, Cint), s, path, ndjson ? 1 : 0)
        rc < 0 && throw(search_failure(rc, s))
    end
    return nothing
end

# ---- columns (design.md 2.3) -------------------------------------------------------------

"""
    column_f64(s, path) -> Vector{Float64}

The records' numbers at the JSON Pointer `path` (RFC 6901, e.g. `"/min_distance"`,
`"/data_sources/1/identifier"`), one per record, read by the library straight from each
record's text: `true`/`false` as 1.0/0.0, `NaN` where the value is null, missing or not a
number. Waits first, as [`get_data`](@ref) does. A path without a leading `/` is an
`AuroraXError` (`AURORAX_ERR_INVALID_ARGUMENT`); a failed search throws its status.
"""
function column_f64(s::Search, path::AbstractString)
    ready!(s)
    GC.@preserve s begin
        n = ccall(sym(:aurorax_get_column_f64), Int64, (Ptr{Cvoid}, Cstring, Ptr{Cdouble}, Int64), s, path, C_NULL, 0)
        n < 0 && throw(search_failure(n, s))
        out = Vector{Float64}(undef, n)
        if n > 0
            m = ccall(sym(:aurorax_get_column_f64), Int64, (Ptr{Cvoid}, Cstring, Ptr{Cdouble}, Int64), s, path, out, n)
            m < 0 && throw(search_failure(m, s))
        end
        return out
    end
end

# the (pointer, length) slices of a text or JSON column, copied into Strings by length
function column_slices(s::Search, path::AbstractString, json::Bool)
    ready!(s)
    GC.@preserve s begin
        n = json ? ccall(sym(:aurorax_get_column_json), Int64, (Ptr{Cvoid}, Cstring, Ptr{Ptr{UInt8}}, Ptr{Int64}, Int64), s, path, C_NULL, C_NULL, 0) :
                   ccall(sym(:aurorax_get_column_text), Int64, (Ptr{Cvoid}, Cstring, Ptr{Ptr{UInt8}}, Ptr{Int64}, Int64), s, path, C_NULL, C_NULL, 0)
        n < 0 && throw(search_failure(n, s))
        values = Vector{Ptr{UInt8}}(undef, n)
        lengths = Vector{Int64}(undef, n)
        if n > 0
            m = json ? ccall(sym(:aurorax_get_column_json), Int64, (Ptr{Cvoid}, Cstring, Ptr{Ptr{UInt8}}, Ptr{Int64}, Int64), s, path, values, lengths, n) :
                       ccall(sym(:aurorax_get_column_text), Int64, (Ptr{Cvoid}, Cstring, Ptr{Ptr{UInt8}}, Ptr{Int64}, Int64), s, path, values, lengths, n)
            m < 0 && throw(search_failure(m, s))
        end
        # slices of the handle's memory, NOT NUL-terminated: copied by length while s is alive
        return Union{Missing,String}[values[i] == C_NULL ? missing : unsafe_string(values[i], lengths[i]) for i in 1:n]
    end
end

"""
    column_text(s, path) -> Vector{Union{Missing,String}}

The records' strings at the JSON Pointer `path`, unescaped; `missing` where the value is null,
missing or not a string. Waits and throws as [`column_f64`](@ref).
"""
column_text(s::Search, path::AbstractString) = column_slices(s, path, false)

"""
    column_json(s, path) -> Vector{Union{Missing,String}}

The records' values at the JSON Pointer `path` as JSON text, whatever their type (a null is
`"null"`); `missing` where the value is missing. `""` gives each whole record. Waits and
throws as [`column_f64`](@ref).
"""
column_json(s::Search, path::AbstractString) = column_slices(s, path, true)

# name, JSON Pointer, type (:number, :text, :json) of each kind's columns: the MATLAB
# package's aurorax.column_spec, the record key "end" included as end_time
const DATA_SOURCE_COLUMNS = ((:data_source, "/data_source", :json),
                             (:data_source_identifier, "/data_source/identifier", :number),
                             (:data_source_display_name, "/data_source/display_name", :text))
const COLUMN_SPECS = Dict{Symbol,Tuple}(
    :conjunctions => ((:conjunction_type, "/conjunction_type", :text), (:start, "/start", :text),
                      (:end_time, "/end", :text), (:min_distance, "/min_distance", :number),
                      (:max_distance, "/max_distance", :number), (:closest_epoch, "/closest_epoch", :text),
                      (:farthest_epoch, "/farthest_epoch", :text), (:data_sources, "/data_sources", :json),
                      (:events, "/events", :json)),
    :ephemeris => (DATA_SOURCE_COLUMNS..., (:epoch, "/epoch", :text),
                   (:location_geo_lat, "/location_geo/lat", :number), (:location_geo_lon, "/location_geo/lon", :number),
                   (:location_gsm_lat, "/location_gsm/lat", :number), (:location_gsm_lon, "/location_gsm/lon", :number),
                   (:nbtrace_lat, "/nbtrace/lat", :number), (:nbtrace_lon, "/nbtrace/lon", :number),
                   (:sbtrace_lat, "/sbtrace/lat", :number), (:sbtrace_lon, "/sbtrace/lon", :number),
                   (:metadata, "/metadata", :json)),
    :data_products => (DATA_SOURCE_COLUMNS..., (:data_product_type, "/data_product_type", :text),
                       (:start, "/start", :text), (:end_time, "/end", :text), (:url, "/url", :text),
                       (:metadata, "/metadata", :json)),
    :data_sources => ((:identifier, "/identifier", :number), (:program, "/program", :text),
                      (:platform, "/platform", :text), (:instrument_type, "/instrument_type", :text),
                      (:source_type, "/source_type", :text), (:display_name, "/display_name", :text)),
    :ephemeris_availability => (DATA_SOURCE_COLUMNS..., (:available_ephemeris, "/available_ephemeris", :json)),
    :data_products_availability => (DATA_SOURCE_COLUMNS..., (:available_data_products, "/available_data_products", :json)),
)

"""
    columns(s) -> NamedTuple

Every field of the search's kind as a column, one entry per record: a `NamedTuple` of
vectors, which is a table for any Tables.jl consumer (`DataFrame(columns(s))`,
`CSV.write(path, columns(s))`). Numbers are `Vector{Float64}` (`NaN` for null or missing),
text `Vector{Union{Missing,String}}`, and nested values (`data_sources`, `events`,
`metadata`, `data_source`, the availability lists) each record's JSON text (parse them with
JSON3.jl if you need them). The record key `end` is the column `end_time`, as in MATLAB.
Read by the library straight from the records (no JSON parser); waits first if needed.
"""
function columns(s::Search)
    spec = COLUMN_SPECS[s.kind]
    names = Tuple(name for (name, _, _) in spec)
    cols = Tuple(type === :number ? column_f64(s, path) : type === :text ? column_text(s, path) : column_json(s, path)
                 for (_, path, type) in spec)
    return NamedTuple{names}(cols)
end

"""
    query_description(s) -> String

The server's plain-language description of the query (the C API's `aurorax_describe`; not
named `describe`, which DataFrames and StatsBase export for summary statistics, so that
`using AuroraX, DataFrames` leaves both usable unqualified). The first call is one HTTP
request, bounded by the request timeout, that blocks this task's thread (in a GC-safe
region: other threads' garbage collections go on meanwhile); later calls are answered from
memory.
"""
function query_description(s::Search)
    GC.@preserve s begin
        p = @gc_safe_ccall(sym(:aurorax_describe), Ptr{UInt8}, (Ptr{Cvoid},), s)
        p == C_NULL && throw(last_failure())
        return unsafe_string(p)
    end
end

"""
    cancel(s)

Stops the search and returns at once: waiting on it afterwards throws
`AURORAX_ERR_CANCELLED`. While the server is still running it, the library's engine, not
this thread, sends the DELETE in the background (bounded to about 10 s); a search the server
has already finished is only stopped here (a DELETE would delete its result file).
"""
cancel(s::Search) = (check(ccall(sym(:aurorax_cancel), Cint, (Ptr{Cvoid},), s)); nothing)

"""
    request_id(s) -> Union{String,Nothing}

The server's request id once submitted (`nothing` before); [`attach`](@ref) takes it.
"""
request_id(s::Search) = GC.@preserve s text_or_nothing(ccall(sym(:aurorax_request_id), Ptr{UInt8}, (Ptr{Cvoid},), s))

"""
    request_url(s) -> Union{String,Nothing}

The request's status URL once submitted.
"""
request_url(s::Search) = GC.@preserve s text_or_nothing(ccall(sym(:aurorax_request_url), Ptr{UInt8}, (Ptr{Cvoid},), s))

"""
    search_error(s) -> Union{String,Nothing}

Why the search failed or was cancelled; `nothing` while it has not.
"""
search_error(s::Search) = GC.@preserve s text_or_nothing(ccall(sym(:aurorax_search_error), Ptr{UInt8}, (Ptr{Cvoid},), s))

"""
    status(s) -> Union{String,Nothing}

The latest status document from the API as JSON text (`nothing` before the first).
"""
status(s::Search) = GC.@preserve s text_or_nothing(ccall(sym(:aurorax_get_status), Ptr{UInt8}, (Ptr{Cvoid},), s))

"""
    logs(s) -> Union{String,Nothing}

The request's log entries as a JSON array of `{"level", "summary", "timestamp"}`.
"""
logs(s::Search) = GC.@preserve s text_or_nothing(ccall(sym(:aurorax_get_logs), Ptr{UInt8}, (Ptr{Cvoid},), s))

# ---- settings (process-wide; each search keeps those in force when it was made) ---------

"""
    set_api_url(url)

The API's base URL for searches made from now on (default `https://api.aurorax.space`, or
the environment variable `AURORAX_API_URL`).
"""
set_api_url(url::AbstractString) = (check(ccall(sym(:aurorax_set_api_url), Cint, (Cstring,), url)); nothing)

"""
    set_api_key(key)

The API key for searches made from now on; `nothing` or `""` clears it (default: the
environment variable `AURORAX_API_KEY`). Only sent over HTTPS or to a loopback host.
"""
set_api_key(key::Union{AbstractString,Nothing}) =
    (check(ccall(sym(:aurorax_set_api_key), Cint, (Cstring,), key === nothing ? C_NULL : key)); nothing)

"""
    set_ca_bundle(pem_path)

Trusts the CA certificates of a PEM file on top of the operating system's store, for
searches made from now on (an institution's CA, or the one a TLS-inspecting proxy signs
with); `nothing` removes it. Default: the environment variable `AURORAX_CA_BUNDLE`. The file
is read now: a missing or unreadable file, or one holding no PEM certificate, throws
`AuroraXError` with status `AURORAX_ERR_INVALID_ARGUMENT`. A server whose certificate is
still not trusted fails its search with `AURORAX_ERR_TLS`.
"""
set_ca_bundle(pem_path::Union{AbstractString,Nothing}) =
    (check(ccall(sym(:aurorax_set_ca_bundle), Cint, (Cstring,), pem_path === nothing ? C_NULL : pem_path)); nothing)

"""
    set_poll_interval(max_seconds)

Upper bound of the adaptive status-poll interval (default 5 s; `0 < max_seconds <= 86400`).
"""
set_poll_interval(seconds::Real) = (check(ccall(sym(:aurorax_set_poll_interval), Cint, (Cdouble,), seconds)); nothing)

"""
    set_request_timeout(seconds)

Timeout of each HTTP request.
"""
set_request_timeout(seconds::Real) = (check(ccall(sym(:aurorax_set_request_timeout), Cint, (Cdouble,), seconds)); nothing)

"""
    set_max_retries(n)

How many times a transient failure (connection error, 5xx, 429, 503) is retried.
"""
set_max_retries(n::Integer) = (check(ccall(sym(:aurorax_set_max_retries), Cint, (Cint,), n)); nothing)

"""
    set_outage_tolerance(seconds)

How long a search the server holds survives an outage, for searches made from now on
(default 600 s, or the environment variable `AURORAX_OUTAGE_TOLERANCE`): its failed polls,
download and look-ups are retried until none has succeeded for this long; then it fails and
its message names the request id ([`attach`](@ref) collects it later). `0` keeps the
per-request retry count of [`set_max_retries`](@ref). A negative, NaN or infinite value, or
one over a week (604800), throws `AuroraXError` with status `AURORAX_ERR_INVALID_ARGUMENT`.
"""
set_outage_tolerance(seconds::Real) =
    (check(ccall(sym(:aurorax_set_outage_tolerance), Cint, (Cdouble,), seconds)); nothing)

"""
    set_max_result_bytes(bytes)

Caps a result's size: a larger one fails with `AURORAX_ERR_PROTOCOL` instead of filling
memory. `bytes <= 0`: no cap (the default).
"""
set_max_result_bytes(bytes::Integer) = (check(ccall(sym(:aurorax_set_max_result_bytes), Cint, (Int64,), bytes)); nothing)

"""
    set_spool_threshold(bytes)

Results larger than `bytes` are written to an unlinked temporary file as they arrive (in
the directory `AURORAX_SPOOL_DIR` names, else the system's) and mapped, not held in memory,
for searches made from now on. Default 256 MiB; `bytes <= 0`: always in memory.
"""
set_spool_threshold(bytes::Integer) = (check(ccall(sym(:aurorax_set_spool_threshold), Cint, (Int64,), bytes)); nothing)

const LOG_LEVELS = (off = -1, error = 0, warn = 1, info = 2, debug = 3)

"""
    set_log_level(level)

How much the library narrates on stderr: `:off` (the default unless the environment variable
`AURORAX_LOG` says otherwise), `:error`, `:warn` (each retry and why), `:info` (each
search's request id, completion and download) or `:debug` (every poll); or -1..3. The API
key never appears in a line. (The C log callback is not bound: it would run Julia code on
the library's threads.)
"""
set_log_level(level::Integer) = (check(ccall(sym(:aurorax_set_log_level), Cint, (Cint,), level)); nothing)
function set_log_level(level::Symbol)
    haskey(LOG_LEVELS, level) || throw(ArgumentError("set_log_level: :$level is not one of $(keys(LOG_LEVELS))"))
    return set_log_level(LOG_LEVELS[level])
end

"""
    shutdown()

Stops the library's engine (blocks this task's thread up to about four seconds, in a GC-safe
region); running searches end cancelled; the next search starts it again.
"""
shutdown() = (@gc_safe_ccall(sym(:aurorax_shutdown), Cvoid, ()); nothing)

end # module
