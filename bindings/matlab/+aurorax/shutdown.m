function shutdown()
  % aurorax.shutdown()
  % Stops the library's engine: running searches end with aurorax:AURORAX_ERR_CANCELLED;
  % the next search starts it again. clear mex does this too.
  aurorax_mex('shutdown');
end
