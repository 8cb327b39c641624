function cols = decode_columns(kind, json)
  % cols = aurorax.decode_columns(kind, json)
  % The records of a search of the given kind as a scalar struct of N-by-1 columns, with
  % the same fields and classes whatever the records hold (also for none): jsondecode alone
  % gives a struct array or a cell array, [] for null, and nothing for an empty result, so
  % code written against one answer breaks on the next. Numbers are double (NaN for null
  % or missing), text is a cellstr ('' for null), nested values are cells of jsondecode'd
  % values ([] for null). Fields the kind does not list are left out; get_data('decode')
  % has everything. Search.get_data('columns') calls this.
  spec = schema(kind);
  decoded = jsondecode(json);
  if isstruct(decoded)
    records = decoded(:);                % a struct array: its fields are read as lists
    n = numel(records);
  elseif iscell(decoded)
    records = decoded(:);                % records whose fields differ
    n = numel(records);
  else
    records = cell(0, 1);                % [] (no records)
    n = 0;
  end
  cols = struct();
  parents = struct();                    % the values at each parent path, read once
  for k = 1:size(spec, 1)
    [name, path, type] = spec{k, :};
    if isstruct(records)
      if isfield(records, path{1}), values = {records.(path{1})}'; else, values = cell(n, 1); end
    else
      values = pluck(records, path{1});
    end
    for p = 2:numel(path)
      key = strjoin(path(1:p - 1), '__');
      if ~isfield(parents, key), parents.(key) = values; end
      values = pluck(parents.(key), path{p});
    end
    switch type
      case 'number'
        col = nan(n, 1);
        ok = cellfun('isclass', values, 'double') & cellfun('prodofsize', values) == 1;
        col(ok) = [values{ok}];
        is_logical = cellfun('isclass', values, 'logical') & cellfun('prodofsize', values) == 1;
        col(is_logical) = double([values{is_logical}]);
      case 'text'
        col = repmat({''}, n, 1);
        ok = cellfun('isclass', values, 'char');
        col(ok) = values(ok);
      otherwise   % 'value': as jsondecode gave it
        col = values;
    end
    cols.(name) = col;
  end
end

function out = pluck(values, field)
  % values{i}.(field) where values{i} is a struct with that field, else [] (null, missing).
  out = cell(size(values));
  has = cellfun('isclass', values, 'struct') & cellfun('prodofsize', values) == 1;
  idx = find(has);
  if isempty(idx), return; end
  try
    % fast path: the structs share their fields, so one concatenation and one list
    joined = [values{idx}];
    if isfield(joined, field), out(idx) = {joined.(field)}; end
    return;
  catch
    % the structs differ in their fields: one at a time below
  end
  for i = idx(:)'
    v = values{i};
    if isfield(v, field), out{i} = v.(field); end
  end
end

function spec = schema(kind)
  % name, path into the record, type. From the API's record schemas (aurorax-api.md §4).
  ds = {'data_source', {'data_source'}, 'value'; ...
        'data_source_identifier', {'data_source', 'identifier'}, 'number'; ...
        'data_source_display_name', {'data_source', 'display_name'}, 'text'};
  switch kind
    case 'conjunctions'
      spec = {'conjunction_type', {'conjunction_type'}, 'text'; ...
              'start', {'start'}, 'text'; ...
              'end', {'end'}, 'text'; ...
              'min_distance', {'min_distance'}, 'number'; ...
              'max_distance', {'max_distance'}, 'number'; ...
              'closest_epoch', {'closest_epoch'}, 'text'; ...
              'farthest_epoch', {'farthest_epoch'}, 'text'; ...
              'data_sources', {'data_sources'}, 'value'; ...
              'events', {'events'}, 'value'};
    case 'ephemeris'
      spec = [ds; ...
             {'epoch', {'epoch'}, 'text'; ...
              'location_geo_lat', {'location_geo', 'lat'}, 'number'; ...
              'location_geo_lon', {'location_geo', 'lon'}, 'number'; ...
              'location_gsm_lat', {'location_gsm', 'lat'}, 'number'; ...
              'location_gsm_lon', {'location_gsm', 'lon'}, 'number'; ...
              'nbtrace_lat', {'nbtrace', 'lat'}, 'number'; ...
              'nbtrace_lon', {'nbtrace', 'lon'}, 'number'; ...
              'sbtrace_lat', {'sbtrace', 'lat'}, 'number'; ...
              'sbtrace_lon', {'sbtrace', 'lon'}, 'number'; ...
              'metadata', {'metadata'}, 'value'}];
    case 'data_products'
      spec = [ds; ...
             {'data_product_type', {'data_product_type'}, 'text'; ...
              'start', {'start'}, 'text'; ...
              'end', {'end'}, 'text'; ...
              'url', {'url'}, 'text'; ...
              'metadata', {'metadata'}, 'value'}];
    case 'data_sources'
      spec = {'identifier', {'identifier'}, 'number'; ...
              'program', {'program'}, 'text'; ...
              'platform', {'platform'}, 'text'; ...
              'instrument_type', {'instrument_type'}, 'text'; ...
              'source_type', {'source_type'}, 'text'; ...
              'display_name', {'display_name'}, 'text'};
    case 'ephemeris_availability'
      spec = [ds; {'available_ephemeris', {'available_ephemeris'}, 'value'}];
    case 'data_products_availability'
      spec = [ds; {'available_data_products', {'available_data_products'}, 'value'}];
    otherwise
      error('aurorax:badArgument', 'columns: unknown kind ''%s''', kind);
  end
end
