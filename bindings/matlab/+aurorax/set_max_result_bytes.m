function set_max_result_bytes(bytes)
  % aurorax.set_max_result_bytes(bytes)
  % Caps the size of a result for searches created from now on: a larger one fails with
  % aurorax:AURORAX_ERR_PROTOCOL instead of filling memory. 0 (or less): no cap, the default.
  aurorax_mex('set_max_result_bytes', bytes);
end
