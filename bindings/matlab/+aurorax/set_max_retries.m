function set_max_retries(n)
  % aurorax.set_max_retries(n)
  % How many times a transient failure (connection error, 5xx, 429, 503) is retried.
  aurorax_mex('set_max_retries', n);
end
