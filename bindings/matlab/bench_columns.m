function bench_columns(reps)
  % bench_columns(reps): seconds from a big conjunction result in memory to its columns, in
  % Octave or MATLAB, against the server at AURORAX_API_URL (bindings/bench-columns.sh sets
  % it up with result_count 20000: a 156 MB result). Each repetition is a fresh search, so
  % the library's per-path cache starts empty and every column is computed from the records.
  % Prints one line per form and repetition, then the best of each.
  if nargin < 1, reps = 3; end
  forms = {'text', 'columns', 'events'};
  best = inf(1, numel(forms));
  for r = 1:reps
    s = aurorax.conjunctions('2019-01-01T00:00:00', '2019-12-31T23:59:59', ...
          '[{"programs": ["themis-asi"]}]', '[{"programs": ["swarm"]}]', 500);
    if ~s.wait(600), error('bench:timeout', 'no result within 600 s'); end
    mb = aurorax_mex('get_data_length', s.handle) / 1e6;
    n = s.record_count();
    for f = 1:numel(forms)
      t0 = tic;
      x = s.get_data(forms{f});
      t = toc(t0);
      best(f) = min(best(f), t);
      if strcmp(forms{f}, 'events'), rows = numel(x.record); else, rows = n; end
      printf('rep %d: get_data(''%s''): %.3f s (%d records, %.1f MB, %d rows)\n', r, forms{f}, t, n, mb, rows);
      clear x;
    end
    % what 'columns' holds: flat fields only, computed again on the same (cached) handle
    t0 = tic;
    c = s.get_data('columns');
    printf('rep %d: get_data(''columns'') again, paths cached on the handle: %.3f s\n', r, toc(t0));
    clear c s;
  end
  for f = 1:numel(forms)
    printf('best of %d: get_data(''%s''): %.3f s\n', reps, forms{f}, best(f));
  end
  fflush(stdout);
end
