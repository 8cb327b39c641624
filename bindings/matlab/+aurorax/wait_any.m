function index = wait_any(searches, timeout_seconds, varargin)
  % index = aurorax.wait_any(searches, timeout_seconds)
  % Waits until one of the searches (a cell array or array of aurorax.Search) has ended --
  % data ready, failed or cancelled -- and returns its index (the lowest such); 0 when
  % none ended within timeout_seconds (none, [] or <= 0: no limit). It does not raise the
  % search's failure: look at searches{index} for that. Like Search.wait it waits in
  % slices from M-code, so Ctrl-C works and drawnow runs. Option: 'Slice', seconds (0, 1].
  if nargin < 2 || isempty(timeout_seconds), timeout_seconds = 0; end
  if ~(isnumeric(timeout_seconds) && isscalar(timeout_seconds) && isreal(timeout_seconds) && ~isnan(timeout_seconds))
    error('aurorax:badArgument', 'wait_any: timeout_seconds must be a real number (<= 0: no limit)');
  end
  slice = 0.2;
  for k = 1:2:numel(varargin)
    if ~strcmpi(aurorax.as_chars(varargin{k}, 'an option name'), 'Slice') || k == numel(varargin)
      error('aurorax:badArgument', 'wait_any: the only option is ''Slice'', seconds');
    end
    slice = varargin{k + 1};
    if ~(isnumeric(slice) && isscalar(slice) && slice > 0 && slice <= 1)
      error('aurorax:badArgument', 'wait_any: Slice must be in (0, 1] seconds');
    end
  end
  % (a cell array is the form that works everywhere: Octave has no arrays of classdef objects)
  if ~iscell(searches)
    list = cell(1, numel(searches));
    for k = 1:numel(searches), list{k} = searches(k); end
    searches = list;
  end
  if isempty(searches) || ~all(cellfun(@(x) isa(x, 'aurorax.Search'), searches))
    error('aurorax:badArgument', 'wait_any takes a non-empty cell array (or array) of aurorax.Search');
  end
  handles = zeros(1, numel(searches), 'uint64');
  for k = 1:numel(searches)
    h = searches{k}.gateway_handle();   % attaches a loaded search (see Search/saveobj)
    if isempty(h), error('aurorax:badHandle', 'search %d has been deleted', k); end
    handles(k) = h;
  end
  deadline = inf;
  if timeout_seconds > 0, deadline = timeout_seconds; end
  t0 = tic;
  index = 0;
  while true
    remaining = deadline - toc(t0);
    if remaining <= 0, break; end
    index = aurorax_mex('wait_any', handles, min(slice, remaining));
    if index > 0, break; end
    drawnow;   % lets figures and callbacks run, and MATLAB see Ctrl-C
  end
end
