function name = status_name(code)
  % aurorax.status_name(code)  the library's name for a status code, e.g. 'AURORAX_ERR_TIMEOUT'
  name = aurorax_mex('status_name', code);
end
