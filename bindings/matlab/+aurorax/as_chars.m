function value = as_chars(value, name)
  % value = aurorax.as_chars(value, name)
  % A MATLAB string scalar ("...", the string class since R2016b) as the char vector every
  % function of the package works with; anything else is returned as it is. A string array
  % (several texts, or none) and <missing> are aurorax:badArgument errors naming the
  % argument. The gateway reads string scalars itself; this is for the package's own
  % checks (ischar, strcmp against a list, concatenation).
  if isstring(value)
    if ~isscalar(value)
      error('aurorax:badArgument', '%s must be a char vector or a string scalar, not a string array', name);
    end
    if ismissing(value)
      error('aurorax:badArgument', '%s is a <missing> string', name);
    end
    value = char(value);
  end
end
