function set_outage_tolerance(seconds)
  % aurorax.set_outage_tolerance(seconds)
  % How long a search the server holds survives an outage, for searches created from now on
  % (default 600 s, or the environment variable AURORAX_OUTAGE_TOLERANCE): its failed polls,
  % download and look-ups are retried until none has succeeded for this long; then it fails
  % and its message names the request id (aurorax.attach collects it later). 0 keeps the
  % per-request retry count (aurorax.set_max_retries). A negative, NaN or infinite value, or
  % one over a week (604800), is aurorax:AURORAX_ERR_INVALID_ARGUMENT.
  aurorax_mex('set_outage_tolerance', seconds);
end
