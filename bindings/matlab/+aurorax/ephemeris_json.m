function s = ephemeris_json(query_json)
  % s = aurorax.ephemeris_json(query_json)
  % Starts an ephemeris search from a full request object as JSON text.
  s = aurorax.Search(aurorax_mex('ephemeris_search_async_json', query_json), 'ephemeris');
end
