function v = version()
  % aurorax.version()  the library's version, e.g. '0.2.0'
  v = aurorax_mex('version');
end
