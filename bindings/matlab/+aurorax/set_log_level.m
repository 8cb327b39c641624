function set_log_level(level)
  % aurorax.set_log_level(level)
  % How much the library narrates on stderr: 'off' (the default, unless the environment
  % variable AURORAX_LOG says otherwise), 'error', 'warn' (each retry and why), 'info'
  % (each search's request id, completion and download) or 'debug' (every status poll);
  % or the number -1..3. The API key never appears in a line.
  names = {'off', 'error', 'warn', 'info', 'debug'};
  level = aurorax.as_chars(level, 'level');
  if ischar(level)
    k = find(strcmpi(level, names));
    if isempty(k)
      error('aurorax:badArgument', 'set_log_level: ''%s'' is not one of off, error, warn, info, debug', level);
    end
    level = k - 2;
  end
  aurorax_mex('set_log_level', level);
end
