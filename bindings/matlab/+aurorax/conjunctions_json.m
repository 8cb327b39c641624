function s = conjunctions_json(query_json)
  % s = aurorax.conjunctions_json(query_json)
  % Starts a conjunction search from a full request object (events, custom locations,
  % max_distances, conjunction_types, precision...) as JSON text.
  s = aurorax.Search(aurorax_mex('conjunctions_search_async_json', query_json), 'conjunctions');
end
