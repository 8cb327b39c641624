function s = conjunctions(start_ts, end_ts, ground_json, space_json, distance_km)
  % s = aurorax.conjunctions(start, end, ground_json, space_json, distance_km)
  % Starts a conjunction search and returns an aurorax.Search at once. start/end are
  % 'YYYY-MM-DDTHH:MM:SS' (UTC); ground_json/space_json are JSON arrays of criteria blocks
  % as the AuroraX docs write them ([] for none); distance_km fills every max_distances pair.
  % Bad input is an aurorax:AURORAX_ERR_INVALID_ARGUMENT error naming the argument.
  s = aurorax.Search(aurorax_mex('conjunctions_search_async', start_ts, end_ts, ground_json, space_json, distance_km), 'conjunctions');
end
