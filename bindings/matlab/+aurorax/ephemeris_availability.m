function s = ephemeris_availability(start_date, end_date, filter)
  % s = aurorax.ephemeris_availability(start_date, end_date, filter)
  % Per data source and day ('YYYY-MM-DD', inclusive), how many ephemeris records exist.
  % filter as for aurorax.data_sources. Records: {data_source, available_ephemeris}.
  if nargin < 3, filter = []; end
  s = aurorax.Search(aurorax_mex('ephemeris_availability_async', start_date, end_date, aurorax.filter_text(filter)), 'ephemeris_availability');
end
