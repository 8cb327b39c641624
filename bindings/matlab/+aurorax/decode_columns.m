function cols = decode_columns(kind, json)
  % cols = aurorax.decode_columns(kind, json)
  % JSON text you already hold (a saved result, say) as the columns of a search of the given
  % kind: the fields, names and classes of Search.get_data('columns', 'decode_nested', true)
  % (aurorax.column_spec lists them; the key "end" is the column end_time). Numbers are
  % double (NaN for null, missing or not a number; true/false as 1/0), text is a cellstr
  % ('' for null or missing), nested values are cells of jsondecode'd values ([] for null or
  % missing). A search's own result is read faster by get_data('columns'), which never
  % decodes the whole result: this helper runs jsondecode on all of it.
  spec = aurorax.column_spec(kind);
  decoded = jsondecode(json);   % renames keys MATLAB refuses: "end" becomes xEnd
  if isstruct(decoded) || iscell(decoded)
    records = decoded(:);
  else
    records = cell(0, 1);                % [] (no records)
  end
  if isstruct(records), records = num2cell(records); end
  n = numel(records);
  cols = struct();
  for k = 1:size(spec, 1)
    [name, pointer, type] = spec{k, :};
    keys = strsplit(pointer(2:end), '/');
    keys = cellfun(@matlab.lang.makeValidName, keys, 'UniformOutput', false);   % as jsondecode named them
    values = records;
    for p = 1:numel(keys)
      values = pluck(values, keys{p});
    end
    switch type
      case 'number'
        col = nan(n, 1);
        ok = cellfun(@(v) (isnumeric(v) || islogical(v)) && isscalar(v), values);
        col(ok) = cellfun(@double, values(ok));
      case 'text'
        col = repmat({''}, n, 1);
        ok = cellfun('isclass', values, 'char');
        col(ok) = values(ok);
      otherwise   % 'json': as jsondecode gave it
        col = values;
    end
    cols.(name) = col;
  end
end

function out = pluck(values, field)
  % values{i}.(field) where values{i} is a scalar struct with that field, else [].
  out = cell(size(values));
  for i = 1:numel(values)
    v = values{i};
    if isstruct(v) && isscalar(v) && isfield(v, field), out{i} = v.(field); end
  end
end
