function s = data_products_availability(start_date, end_date, filter)
  % s = aurorax.data_products_availability(start_date, end_date, filter)
  % Per data source and day ('YYYY-MM-DD', inclusive), how many data products exist; the
  % filter may also hold data_product_type. Records: {data_source, available_data_products}.
  if nargin < 3, filter = []; end
  s = aurorax.Search(aurorax_mex('data_products_availability_async', start_date, end_date, aurorax.filter_text(filter)), 'data_products_availability');
end
