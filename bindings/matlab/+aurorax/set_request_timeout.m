function set_request_timeout(seconds)
  % aurorax.set_request_timeout(seconds)
  % Timeout of each HTTP request for searches created from now on.
  aurorax_mex('set_request_timeout', seconds);
end
