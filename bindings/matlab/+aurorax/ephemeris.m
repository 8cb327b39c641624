function s = ephemeris(start_ts, end_ts, data_sources_json)
  % s = aurorax.ephemeris(start, end, data_sources_json)
  % Starts an ephemeris search; data_sources_json is the data_sources object, e.g.
  % '{"programs": ["swarm"], "platforms": ["swarma"]}'.
  s = aurorax.Search(aurorax_mex('ephemeris_search_async', start_ts, end_ts, data_sources_json), 'ephemeris');
end
