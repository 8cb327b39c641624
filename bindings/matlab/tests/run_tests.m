% Octave/MATLAB tests of the MEX gateway and AuroraxSearch against the local AuroraX
% server (AURORAX_API_URL set by bindings/run-tests.sh). Prints "N passed, N failed".
function run_tests()
  tests = {@seed_workflow, @decode_records, @parallel_searches, @failed_search_is_an_error, ...
           @wait_timeout_returns_false, @cancel_ends_the_search, @bad_input_is_an_error, ...
           @freed_and_forged_handles_are_errors, @objects_free_their_search, ...
           @clear_mex_releases_every_search};
  passed = 0; failed = 0;
  for i = 1:numel(tests)
    name = func2str(tests{i});
    try
      tests{i}();
      passed = passed + 1;
      printf('PASS %s\n', name);
    catch err
      failed = failed + 1;
      printf('FAIL %s: %s (%s)\n', name, err.message, err.identifier);
    end
  end
  printf('%d passed, %d failed\n', passed, failed);
  if failed > 0, exit(1); end
end

function check(cond, varargin)
  if ~cond, error('test:failed', varargin{:}); end
end

function expect_error(fn, id)
  try
    fn();
  catch err
    check(strcmp(err.identifier, id), 'expected %s, got %s: %s', id, err.identifier, err.message);
    return;
  end
  error('test:failed', 'expected error %s, none raised', id);
end

function s = seed()
  ground = '[{"programs": ["themis-asi"], "ephemeris_metadata_filters": [{"key": "ml_cloud_v1", "operator": "=", "values": ["not classified as cloud"]}]}]';
  space = '[{"programs": ["swarm"], "ephemeris_metadata_filters": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}]';
  s = AuroraxSearch.conjunctions('2019-01-01T00:00:00', '2019-12-31T23:59:59', ground, space, 300);
end

function seed_workflow()
  s = seed();
  polls = 0;
  while ~s.check_for_data()
    pause(0.05); polls = polls + 1;
    check(polls < 600, 'no data after 30 s');
  end
  json = s.get_data();
  check(ischar(json) && json(1) == '[', 'get_data is not a JSON array');
  check(numel(strfind(json, '"conjunction_type"')) >= 365, 'too few records');
  check(numel(s.request_id()) == 36, 'request id');
  check(~isempty(strfind(s.logs(), 'Finished search')), 'logs');
end

function decode_records()
  s = seed();
  check(s.wait(30), 'wait');
  records = s.get_data('decode');
  check(numel(records) >= 365, 'decoded %d records', numel(records));
  first = records(1);
  if iscell(records), first = records{1}; end
  check(strcmp(first.conjunction_type, 'nbtrace'), 'conjunction_type');
end

function parallel_searches()
  c = seed();
  e = AuroraxSearch.ephemeris('2019-01-01T00:00:00', '2019-01-01T23:59:59', '{"programs": ["swarm"], "platforms": ["swarma"]}');
  d = AuroraxSearch.data_products('2020-02-01T00:00:00', '2020-02-05T23:59:59', '{"programs": ["trex"]}', '["keogram"]');
  check(c.wait(30) && e.wait(30) && d.wait(30), 'all three finish');
  check(~isempty(strfind(e.get_data(), '"location_geo"')), 'ephemeris records');
  check(~isempty(strfind(d.get_data(), '"keogram"')), 'data products');
end

function failed_search_is_an_error()
  url = getenv('AURORAX_API_URL');
  [rc, ~] = system(sprintf('curl -sSf -X POST %s/_testserver/searches -d ''{"outcome": "fail", "count": 1, "message": "Search failed: arranged by the Octave tests"}''', url));
  check(rc == 0, 'arranging a failed search');
  s = seed();
  try
    s.wait(30);
    error('test:failed', 'no error');
  catch err
    check(strcmp(err.identifier, 'aurorax:AURORAX_ERR_SEARCH_FAILED'), 'identifier %s', err.identifier);
    check(~isempty(strfind(err.message, 'arranged by the Octave tests')), 'message %s', err.message);
  end
  expect_error(@() s.check_for_data(), 'aurorax:AURORAX_ERR_SEARCH_FAILED');
  expect_error(@() s.get_data(), 'aurorax:AURORAX_ERR_SEARCH_FAILED');
end

function wait_timeout_returns_false()
  s = AuroraxSearch.conjunctions('2019-05-01T00:00:00', '2019-05-31T23:59:59', '[{"programs": ["themis-asi"]}]', '[{"programs": ["swarm"]}]', 500);
  tic; done = s.wait(0.05); t = toc;
  check(~done && t < 2, 'wait(0.05) returned %d after %.2f s', done, t);
  check(s.wait(30), 'then it finishes');
end

function cancel_ends_the_search()
  s = AuroraxSearch.conjunctions('2019-06-01T00:00:00', '2019-06-30T23:59:59', '[{"programs": ["themis-asi"]}]', '[{"programs": ["swarm"]}]', 500);
  s.cancel();
  expect_error(@() s.wait(5), 'aurorax:AURORAX_ERR_CANCELLED');
end

function bad_input_is_an_error()
  expect_error(@() AuroraxSearch.conjunctions('2019-02-30T00:00:00', '2019-03-01T00:00:00', '[]', '[]', 1), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() AuroraxSearch.conjunctions('2019-01-01T00:00:00', '2019-03-01T00:00:00', '[{', '[]', 1), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() AuroraxSearch.ephemeris('2019-01-01T00:00:00', '2019-01-02T00:00:00', 42), 'aurorax:badArgument');
  expect_error(@() aurorax_mex('conjunctions_search_async', 'a', 'b', [], [], 'x'), 'aurorax:badArgument');
  expect_error(@() aurorax_mex('no_such_command', uint64(1)), 'aurorax:badHandle');
  try
    AuroraxSearch.conjunctions('2019-01-01T00:00:00', '2018-01-01T00:00:00', '[]', '[]', 1);
  catch err
    check(~isempty(strfind(err.message, 'end')), 'message names the argument: %s', err.message);
  end
end

function freed_and_forged_handles_are_errors()
  h = aurorax_mex('ephemeris_search_async', '2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  aurorax_mex('free', h);
  expect_error(@() aurorax_mex('check_for_data', h), 'aurorax:badHandle');
  expect_error(@() aurorax_mex('free', h), 'aurorax:badHandle');
  expect_error(@() aurorax_mex('get_data', uint64(987654321)), 'aurorax:badHandle');
  expect_error(@() aurorax_mex('wait', 3.5), 'aurorax:badHandle');
  expect_error(@() aurorax_mex('get_data'), 'aurorax:badArgument');
end

function objects_free_their_search()
  before = aurorax_mex('open_handles');
  s = seed();
  check(aurorax_mex('open_handles') == before + 1, 'one more open');
  s.delete();
  check(aurorax_mex('open_handles') == before, 'freed by delete');
end

function clear_mex_releases_every_search()
  h = aurorax_mex('ephemeris_search_async', '2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  check(aurorax_mex('open_handles') >= 1, 'open');
  clear aurorax_mex;   % runs the gateway's mexAtExit: frees every search, stops the engine
  check(aurorax_mex('open_handles') == 0, 'a fresh gateway has no open searches');
  expect_error(@() aurorax_mex('check_for_data', h), 'aurorax:badHandle');
  s = seed();          % and the engine starts again
  check(s.wait(30), 'a search after clear mex works');
end
