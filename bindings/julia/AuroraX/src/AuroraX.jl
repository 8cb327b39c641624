"""
    AuroraX

Asynchronous AuroraX searches (conjunctions, ephemeris, data products) through libaurorax's
C ABI. Set `ENV["AURORAX_LIB"]` to the library's path before loading, or put
`libaurorax.so` on the loader path.

    s = AuroraX.conjunctions_search("2019-01-01T00:00:00", "2019-01-31T23:59:59",
            \"\"\"[{"programs": ["themis-asi"]}]\"\"\", \"\"\"[{"programs": ["swarm"]}]\"\"\", 500.0)
    AuroraX.wait_for(s, 600.0)
    json = AuroraX.get_data(s)
"""
module AuroraX

export Search, AuroraXError, conjunctions_search, conjunctions_search_json, ephemeris_search,
       ephemeris_search_json, data_products_search, data_products_search_json, check_for_data,
       wait_for, get_data, cancel, request_id, request_url, logs, status, search_error

const libaurorax = get(ENV, "AURORAX_LIB", "libaurorax")

const OK = Cint(0)
const ERR_TIMEOUT = Cint(-8)

"""An AuroraX failure: the status code, its name (e.g. "AURORAX_ERR_SEARCH_FAILED") and the message."""
struct AuroraXError <: Exception
    status::Int
    name::String
    message::String
end

Base.showerror(io::IO, e::AuroraXError) = print(io, e.name, ": ", e.message)

status_name(code::Integer) = unsafe_string(ccall((:aurorax_status_name, libaurorax), Cstring, (Cint,), code))
last_error() = unsafe_string(ccall((:aurorax_last_error, libaurorax), Cstring, ()))
version() = unsafe_string(ccall((:aurorax_version, libaurorax), Cstring, ()))

# Borrowed strings (owned by the library or the handle) are copied into Julia strings.
text_or_nothing(p::Ptr{UInt8}) = p == C_NULL ? nothing : unsafe_string(p)

"""A running or finished search. Freed by a finalizer (or `close`); the search is not cancelled on the server."""
mutable struct Search
    ptr::Ptr{Cvoid}
    function Search(ptr::Ptr{Cvoid})
        ptr == C_NULL && throw(AuroraXError(-1, "AURORAX_ERR_INVALID_ARGUMENT", last_error()))
        s = new(ptr)
        finalizer(close, s)
        return s
    end
end

function Base.close(s::Search)
    if s.ptr != C_NULL
        ccall((:aurorax_free, libaurorax), Cvoid, (Ptr{Cvoid},), s.ptr)
        s.ptr = C_NULL
    end
    return nothing
end

function check(code::Integer, s::Union{Search,Nothing} = nothing)
    code >= 0 && return code
    message = s === nothing ? last_error() : something(search_error(s), last_error())
    throw(AuroraXError(code, status_name(code), message))
end

# --- settings ------------------------------------------------------------------------
set_api_url(url::AbstractString) = check(ccall((:aurorax_set_api_url, libaurorax), Cint, (Cstring,), url))
set_api_key(key::Union{AbstractString,Nothing}) =
    check(ccall((:aurorax_set_api_key, libaurorax), Cint, (Cstring,), key === nothing ? C_NULL : key))
set_poll_interval(seconds::Real) = check(ccall((:aurorax_set_poll_interval, libaurorax), Cint, (Cdouble,), seconds))
set_request_timeout(seconds::Real) = check(ccall((:aurorax_set_request_timeout, libaurorax), Cint, (Cdouble,), seconds))
set_max_retries(n::Integer) = check(ccall((:aurorax_set_max_retries, libaurorax), Cint, (Cint,), n))
shutdown() = ccall((:aurorax_shutdown, libaurorax), Cvoid, ())

# --- starting searches ---------------------------------------------------------------
optional(x) = x === nothing ? C_NULL : x

conjunctions_search(start::AbstractString, stop::AbstractString, ground_json, space_json, distance_km::Real) =
    Search(ccall((:aurorax_conjunctions_search_async, libaurorax), Ptr{Cvoid},
                 (Cstring, Cstring, Cstring, Cstring, Cdouble), start, stop, optional(ground_json), optional(space_json), distance_km))
conjunctions_search_json(query_json::AbstractString) =
    Search(ccall((:aurorax_conjunctions_search_async_json, libaurorax), Ptr{Cvoid}, (Cstring,), query_json))
ephemeris_search(start::AbstractString, stop::AbstractString, data_sources_json::AbstractString) =
    Search(ccall((:aurorax_ephemeris_search_async, libaurorax), Ptr{Cvoid},
                 (Cstring, Cstring, Cstring), start, stop, data_sources_json))
ephemeris_search_json(query_json::AbstractString) =
    Search(ccall((:aurorax_ephemeris_search_async_json, libaurorax), Ptr{Cvoid}, (Cstring,), query_json))
data_products_search(start::AbstractString, stop::AbstractString, data_sources_json::AbstractString, types_json = nothing) =
    Search(ccall((:aurorax_data_products_search_async, libaurorax), Ptr{Cvoid},
                 (Cstring, Cstring, Cstring, Cstring), start, stop, data_sources_json, optional(types_json)))
data_products_search_json(query_json::AbstractString) =
    Search(ccall((:aurorax_data_products_search_async_json, libaurorax), Ptr{Cvoid}, (Cstring,), query_json))

# --- following them -------------------------------------------------------------------
"""`true` when the data is in memory; answered from memory. Throws if the search failed."""
check_for_data(s::Search) = check(ccall((:aurorax_check_for_data, libaurorax), Cint, (Ptr{Cvoid},), s.ptr), s) == 1

"""
    wait_for(s, timeout_seconds = 0) -> Bool

Blocks until the data is in memory (`true`) or the timeout passes (`false`; <= 0: no limit).
Named `wait_for` rather than extending `Base.wait`, whose contract (wait on a condition or
task, no timeout, no result) does not match. The C call blocks the Julia thread.
"""
function wait_for(s::Search, timeout_seconds::Real = 0)
    code = ccall((:aurorax_wait, libaurorax), Cint, (Ptr{Cvoid}, Cdouble), s.ptr, timeout_seconds)
    code == ERR_TIMEOUT && return false
    check(code, s)
    return true
end

"""The JSON array of records as a `String` (parse it with JSON3.jl or JSON.jl)."""
function get_data(s::Search)
    p = ccall((:aurorax_get_data, libaurorax), Ptr{UInt8}, (Ptr{Cvoid},), s.ptr)
    if p == C_NULL
        state = ccall((:aurorax_check_for_data, libaurorax), Cint, (Ptr{Cvoid},), s.ptr)
        check(state < 0 ? state : Cint(-9), s)  # -9: AURORAX_ERR_NOT_READY
    end
    n = ccall((:aurorax_get_data_length, libaurorax), Int64, (Ptr{Cvoid},), s.ptr)
    return unsafe_string(p, n)
end

cancel(s::Search) = check(ccall((:aurorax_cancel, libaurorax), Cint, (Ptr{Cvoid},), s.ptr), s)
request_id(s::Search) = text_or_nothing(ccall((:aurorax_request_id, libaurorax), Ptr{UInt8}, (Ptr{Cvoid},), s.ptr))
request_url(s::Search) = text_or_nothing(ccall((:aurorax_request_url, libaurorax), Ptr{UInt8}, (Ptr{Cvoid},), s.ptr))
search_error(s::Search) = text_or_nothing(ccall((:aurorax_search_error, libaurorax), Ptr{UInt8}, (Ptr{Cvoid},), s.ptr))
status(s::Search) = text_or_nothing(ccall((:aurorax_get_status, libaurorax), Ptr{UInt8}, (Ptr{Cvoid},), s.ptr))
logs(s::Search) = text_or_nothing(ccall((:aurorax_get_logs, libaurorax), Ptr{UInt8}, (Ptr{Cvoid},), s.ptr))

end # module
