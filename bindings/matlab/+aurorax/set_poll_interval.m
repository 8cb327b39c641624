function set_poll_interval(max_seconds)
  % aurorax.set_poll_interval(max_seconds)
  % Upper bound of the adaptive status-poll interval for searches created from now on
  % (default 5 s; 0 < max_seconds <= 86400).
  aurorax_mex('set_poll_interval', max_seconds);
end
