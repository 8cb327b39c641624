function text = filter_text(filter)
  % The filter argument of the discovery functions as JSON text: text as given, a struct
  % through jsonencode, [] or no argument as NULL (every source). A string scalar is text.
  filter = aurorax.as_chars(filter, 'filter');
  if isstruct(filter)
    text = jsonencode(filter);
  elseif ischar(filter) || (isnumeric(filter) && isempty(filter))
    text = filter;
  else
    error('aurorax:badArgument', 'a filter is JSON text, a struct or []');
  end
end
