function s = data_products(start_ts, end_ts, data_sources_json, types_json)
  % s = aurorax.data_products(start, end, data_sources_json, types_json)
  % Starts a data-product search; types_json is e.g. '["keogram"]', or [] for all types.
  if nargin < 4, types_json = []; end
  s = aurorax.Search(aurorax_mex('data_products_search_async', start_ts, end_ts, data_sources_json, types_json), 'data_products');
end
