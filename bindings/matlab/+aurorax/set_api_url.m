function set_api_url(url)
  % aurorax.set_api_url(url)
  % The API's base URL for searches created from now on (default https://api.aurorax.space,
  % or the environment variable AURORAX_API_URL), e.g. 'http://127.0.0.1:8080'.
  aurorax_mex('set_api_url', url);
end
