function s = attach(kind, request_id)
  % s = aurorax.attach(kind, request_id)
  % Follows a search submitted earlier (by this program, another one, or the AuroraX
  % website) by its request id; kind is 'conjunctions', 'ephemeris' or 'data_products'.
  % A malformed id is an aurorax:AURORAX_ERR_INVALID_ARGUMENT error at once; an id the
  % server does not know fails the search with aurorax:AURORAX_ERR_API when waited on.
  kind = aurorax.as_chars(kind, 'kind');
  request_id = aurorax.as_chars(request_id, 'request_id');
  if ~ischar(kind), kind = '?'; end
  switch kind
    case {'conjunctions', 'ephemeris', 'data_products'}
      s = aurorax.Search(aurorax_mex([kind '_search_attach'], request_id), kind);
    otherwise
      error('aurorax:badArgument', 'attach: kind must be conjunctions, ephemeris or data_products, not ''%s''', kind);
  end
end
