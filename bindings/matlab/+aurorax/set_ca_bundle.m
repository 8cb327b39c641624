function set_ca_bundle(pem_path)
  % aurorax.set_ca_bundle(pem_path)
  % Trusts the CA certificates of a PEM file on top of the operating system's store, for
  % searches created from now on (an institution's CA, or the one a TLS-inspecting proxy
  % signs with). '' or [] removes it. Default: the environment variable AURORAX_CA_BUNDLE.
  % The file is read now: a missing or unreadable file, or one holding no PEM certificate,
  % is the error aurorax:AURORAX_ERR_INVALID_ARGUMENT. A server whose certificate is still
  % not trusted fails its search with aurorax:AURORAX_ERR_TLS.
  pem_path = aurorax.as_chars(pem_path, 'pem_path');
  if ischar(pem_path) && isempty(pem_path), pem_path = []; end
  aurorax_mex('set_ca_bundle', pem_path);
end
