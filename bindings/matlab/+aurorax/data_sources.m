function s = data_sources(filter)
  % s = aurorax.data_sources(filter)
  % Lists the data sources matching a filter with any of program, platform,
  % instrument_type, source_type, owner and format ('basic_info' by default, or
  % 'full_record', which carries each source's metadata schemas: the valid filter keys).
  % filter is JSON text or a struct; none or [] lists every source. Same lifecycle as a
  % search: s.wait(), then s.get_data('columns') (identifier, program, platform, ...).
  %   s = aurorax.data_sources(struct('program', 'swarm'));
  if nargin < 1, filter = []; end
  s = aurorax.Search(aurorax_mex('data_sources_async', aurorax.filter_text(filter)), 'data_sources');
end
