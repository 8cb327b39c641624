function set_api_key(key)
  % aurorax.set_api_key(key)
  % The API key for searches created from now on ('', "" or [] clears it; default: the
  % environment variable AURORAX_API_KEY). Only sent over HTTPS or to a loopback host.
  key = aurorax.as_chars(key, 'key');
  if ischar(key) && isempty(key), key = []; end
  aurorax_mex('set_api_key', key);
end
