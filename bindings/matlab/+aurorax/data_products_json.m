function s = data_products_json(query_json)
  % s = aurorax.data_products_json(query_json)
  % Starts a data-product search from a full request object as JSON text.
  s = aurorax.Search(aurorax_mex('data_products_search_async_json', query_json), 'data_products');
end
