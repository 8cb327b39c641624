% Tests of the MEX gateway and the +aurorax package against the local AuroraX server
% (AURORAX_API_URL set by bindings/run-tests.sh). Prints 'N passed, N failed'.
% run_tests('name', ...) runs only the tests named.
%
% Run on: GNU Octave 7.3 only (bindings/run-tests.sh). Written for MATLAB R2019a or later
% too -- fprintf, newline, no double-quoted literals or other Octave-only syntax (the test
% matlab_code_has_no_octave_only_syntax checks the package and these files), the child
% processes started as MATLAB or Octave, whichever runs the tests, and MATLAB's own string
% class used where Octave gets a stand-in -- but no MATLAB was available to run it: the
% first run on MATLAB is the test of that. From MATLAB, with the local server's URL in
% AURORAX_API_URL: addpath(<MEX folder>, 'bindings/matlab', 'bindings/matlab/tests');
% run_tests().
function run_tests(varargin)
  tests = {@seed_workflow, @decode_records, @parallel_searches, @failed_search_is_an_error, ...
           @error_ids_are_the_library_status_names, @server_words_do_not_change_the_identifier, ...
           @wait_timeout_returns_false, ...
           @cancel_ends_the_search, @bad_input_is_an_error, @unknown_commands_are_refused_by_name, ...
           @settings_are_functions_and_check_their_input, @ca_bundle_is_read_when_set, ...
           @outage_tolerance_is_checked_and_reaches_the_library, @every_setting_of_the_header_is_in_the_package, ...
           @https_without_the_ca_is_a_tls_error, @https_search_over_http2, ...
           @api_key_is_sent_and_typos_leave_it, ...
           @gateway_wait_is_a_bounded_slice, ...
           @ctrl_c_interrupts_a_wait, @columns_have_one_shape_and_nan_for_null, ...
           @columns_of_conjunctions, @long_wait_returns_control_between_slices, ...
           @wait_progress_prints_phase_time_and_megabytes, @attach_follows_a_search_by_request_id, ...
           @wait_any_returns_the_first_to_end, @records_one_by_one, @describe_is_the_server_text, ...
           @max_result_bytes_caps_a_result, @log_level_is_checked, ...
           @data_sources_as_a_search, @availability_as_a_search, ...
           @freed_and_forged_handles_are_errors, @objects_free_their_search, ...
           @clear_mex_releases_every_search, @columns_match_the_records_for_every_kind, ...
           @events_are_one_row_per_event, @events_scanner_reads_escapes_and_utf8, ...
           @get_data_refuses_a_typo_before_waiting, ...
           @handle_numbers_are_not_reused_after_clear_mex, ...
           @string_scalars_are_text_at_every_entry_point, @describe_never_blocks_a_gateway_call, ...
           @shutdown_never_blocks_a_gateway_call, @clear_mex_with_a_describe_in_flight_is_bounded, ...
           @non_ascii_text_arrives_intact, @utf8_decoder_gives_matlab_utf16, ...
           @saved_search_keeps_its_request_id_not_its_handle, @matlab_code_has_no_octave_only_syntax, ...
           @gateway_text_goes_through_the_utf8_decoder, @gateway_get_data_never_waits_for_a_download};
  if nargin > 0
    tests = tests(ismember(cellfun(@func2str, tests, 'UniformOutput', false), varargin));
  end
  passed = 0; failed = 0;
  for i = 1:numel(tests)
    name = func2str(tests{i});
    admin('/_testserver/reset', '{}');   % no fault or config left over from a failed test
    try
      tests{i}();
      passed = passed + 1;
      fprintf('PASS %s\n', name);
    catch err
      failed = failed + 1;
      fprintf('FAIL %s: %s (%s)\n', name, err.message, err.identifier);
    end
    flush_stdout();
  end
  fprintf('%d passed, %d failed\n', passed, failed);
  if failed > 0, exit(1); end
end

% ---- helpers ------------------------------------------------------------------------------

function check(cond, varargin)
  if ~cond, error('test:failed', varargin{:}); end
end

function expect_error(fn, id, text)
  try
    fn();
  catch err
    check(strcmp(err.identifier, id), 'expected %s, got %s: %s', id, err.identifier, err.message);
    if nargin > 2
      check(~isempty(strfind(err.message, text)), 'message "%s" lacks "%s"', err.message, text);
    end
    return;
  end
  error('test:failed', 'expected error %s, none raised', id);
end

function admin(path, body)
  % The local server's admin API (testserver/README.md); a test that cannot arrange its
  % server fails here rather than testing something else.
  url = getenv('AURORAX_API_URL');
  check(~isempty(url), 'AURORAX_API_URL is not set');
  [rc, out] = system(sprintf('curl -sSf --max-time 10 -X POST %s%s -d ''%s''', url, path, body));
  check(rc == 0, 'admin %s failed: %s', path, out);
end

function n = route_count(route)
  % How many requests of a route the local server has answered (its stats, by_route).
  url = getenv('AURORAX_API_URL');
  [rc, out] = system(sprintf('curl -sSf --max-time 10 %s/_testserver/stats', url));
  check(rc == 0, 'stats failed: %s', out);
  by_route = regexp(out, '"by_route":\s*\{[^}]*\}', 'match', 'once');
  count = regexp(by_route, ['"' route '":\s*(\d+)'], 'tokens', 'once');
  check(~isempty(count), 'no count for %s in the server''s stats: %s', route, out);
  n = str2double(count{1});
end

function cmd = child_command(code)
  % A shell command running code in a separate process of the same kind as this one (a
  % child Octave under Octave, a child MATLAB under MATLAB). code holds no double quote
  % but escaped ones.
  if exist('OCTAVE_VERSION', 'builtin')
    cmd = ['octave --no-gui --no-history --quiet --eval "' code '"'];
  else
    cmd = ['''' fullfile(matlabroot, 'bin', 'matlab') ''' -nosplash -batch "' code '"'];
  end
end

function admin_bytes(path, utf8_bytes)
  % admin() with a body given as UTF-8 bytes (uint8), sent from a file so that no shell
  % or locale re-encodes it.
  url = getenv('AURORAX_API_URL');
  body = [tempname() '.json'];
  fid = fopen(body, 'w'); fwrite(fid, utf8_bytes, 'uint8'); fclose(fid);
  cleanup = onCleanup(@() delete(body));
  [rc, out] = system(sprintf('curl -sSf --max-time 10 -X POST %s%s --data-binary @%s', url, path, body));
  check(rc == 0, 'admin %s failed: %s', path, out);
end

function yes = is_octave()
  yes = exist('OCTAVE_VERSION', 'builtin') > 0;
end

function s = seed()
  ground = '[{"programs": ["themis-asi"], "ephemeris_metadata_filters": [{"key": "ml_cloud_v1", "operator": "=", "values": ["not classified as cloud"]}]}]';
  space = '[{"programs": ["swarm"], "ephemeris_metadata_filters": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}]';
  s = aurorax.conjunctions('2019-01-01T00:00:00', '2019-12-31T23:59:59', ground, space, 300);
end

function s = submitted(s)
  % s once the server has its request (it has an id), within 10 s
  for k = 1:200
    if ~isempty(s.request_id()), return; end
    pause(0.05);
  end
  error('test:failed', 'no request id after 10 s');
end

function s = small_conjunctions(month)
  s = aurorax.conjunctions(sprintf('2019-%02d-01T00:00:00', month), sprintf('2019-%02d-28T23:59:59', month), ...
                           '[{"programs": ["themis-asi"]}]', '[{"programs": ["swarm"]}]', 500);
end

% ---- tests --------------------------------------------------------------------------------

function seed_workflow()
  s = seed();
  check(isa(s, 'aurorax.Search') && strcmp(s.kind, 'conjunctions'), 'an aurorax.Search of kind conjunctions');
  started = tic;
  while ~s.check_for_data()
    pause(0.05);
    check(toc(started) < until_it_ends(), 'no data before the hang bound');
  end
  json = s.get_data();
  check(ischar(json) && json(1) == '[', 'get_data is not a JSON array');
  check(numel(strfind(json, '"conjunction_type"')) >= 365, 'too few records');
  check(numel(s.request_id()) == 36, 'request id');
  check(~isempty(strfind(s.request_url(), s.request_id())), 'request url');
  check(~isempty(strfind(s.logs(), 'Finished search')), 'logs');
  check(~isempty(strfind(s.status(), '"search_result"')), 'status');
  check(isempty(s.error_message()), 'no error message on success');
end

function decode_records()
  s = seed();
  check(s.wait(until_it_ends()), 'wait');
  records = s.get_data('decode');
  check(numel(records) >= 365, 'decoded %d records', numel(records));
  first = records(1);
  if iscell(records), first = records{1}; end
  check(strcmp(first.conjunction_type, 'nbtrace'), 'conjunction_type');
  expect_error(@() s.get_data('xml'), 'aurorax:badArgument', 'xml');
end

function parallel_searches()
  c = seed();
  e = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T23:59:59', '{"programs": ["swarm"], "platforms": ["swarma"]}');
  d = aurorax.data_products('2020-02-01T00:00:00', '2020-02-05T23:59:59', '{"programs": ["trex"]}', '["keogram"]');
  check(c.wait(until_it_ends()) && e.wait(until_it_ends()) && d.wait(until_it_ends()), 'all three finish');
  check(~isempty(strfind(e.get_data(), '"location_geo"')), 'ephemeris records');
  check(~isempty(strfind(d.get_data(), '"keogram"')), 'data products');
end

function failed_search_is_an_error()
  admin('/_testserver/searches', '{"outcome": "fail", "count": 1, "message": "Search failed: arranged by the Octave tests"}');
  s = seed();
  try
    s.wait(until_it_ends());
    error('test:failed', 'no error');
  catch err
    check(strcmp(err.identifier, 'aurorax:AURORAX_ERR_SEARCH_FAILED'), 'identifier %s', err.identifier);
    check(~isempty(strfind(err.message, 'arranged by the Octave tests')), 'message %s', err.message);
  end
  expect_error(@() s.check_for_data(), 'aurorax:AURORAX_ERR_SEARCH_FAILED');
  expect_error(@() s.get_data(), 'aurorax:AURORAX_ERR_SEARCH_FAILED');
  check(~isempty(strfind(s.error_message(), 'arranged by the Octave tests')), 'error_message');
end

function codes = library_statuses()
  % The library's statuses, name -> number, from aurorax_status_name over a range (never
  % copied into the tests).
  codes = struct();
  for code = 0:-1:-255
    name = aurorax.status_name(code);
    if ~strcmp(name, 'AURORAX_UNKNOWN_STATUS'), codes.(name) = code; end
  end
end

function error_ids_are_the_library_status_names()
  % The gateway names errors with aurorax_status_name at run time: every status the
  % library knows has a name, and a cancelled search's identifier is built from it.
  codes = library_statuses();
  names = fieldnames(codes);
  numbers = cellfun(@(n) codes.(n), names);
  check(isequal(sort(numbers, 'descend'), (0:-1:min(numbers))'), 'one name per status: %s', mat2str(numbers'));
  check(codes.AURORAX_OK == 0 && isfield(codes, 'AURORAX_ERR_TLS'), 'AURORAX_OK and AURORAX_ERR_TLS');
  check(all(strncmp(names(numbers < 0), 'AURORAX_ERR_', 12)), 'names: %s', strjoin(names', ', '));
  check(strcmp(aurorax.status_name(12345), 'AURORAX_UNKNOWN_STATUS'), 'unknown status');
  s = small_conjunctions(7);
  s.cancel();
  expect_error(@() s.wait(until_it_ends()), ['aurorax:' aurorax.status_name(codes.AURORAX_ERR_CANCELLED)]);
end

function server_words_do_not_change_the_identifier()
  % The identifier comes from the library's status number (returned, or aurorax_last_status
  % for a call that returned NULL), never from the message: a server's failure message that
  % mimics another status's prefix is still aurorax:AURORAX_ERR_SEARCH_FAILED everywhere.
  words = 'AURORAX_ERR_NETWORK: connection reset (words of the Octave tests)';
  admin('/_testserver/searches', ['{"outcome": "fail", "count": 1, "message": "' words '"}']);
  s = submitted(small_conjunctions(5));
  expect_error(@() s.wait(until_it_ends()), 'aurorax:AURORAX_ERR_SEARCH_FAILED', words);
  expect_error(@() s.check_for_data(), 'aurorax:AURORAX_ERR_SEARCH_FAILED', words);
  expect_error(@() aurorax_mex('get_data', s.handle), 'aurorax:AURORAX_ERR_SEARCH_FAILED', words);
  expect_error(@() aurorax_mex('get_data_length', s.handle), 'aurorax:AURORAX_ERR_SEARCH_FAILED');
  expect_error(@() s.record_count(), 'aurorax:AURORAX_ERR_SEARCH_FAILED');
  expect_error(@() s.record(1), 'aurorax:AURORAX_ERR_SEARCH_FAILED', words);
  expect_error(@() s.get_data('records'), 'aurorax:AURORAX_ERR_SEARCH_FAILED');
  % arguments that look like a status name: refused with the status the library returned
  expect_error(@() aurorax.attach('conjunctions', 'AURORAX_ERR_TIMEOUT: not a request id'), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() aurorax.ephemeris('AURORAX_ERR_API: x', '2019-01-02T00:00:00', '{}'), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
end

function wait_timeout_returns_false()
  % the server takes 5 s: a wait that blocked until the end would return true
  admin('/_testserver/config', '{"search_seconds": 5}');
  s = small_conjunctions(5);
  tic; done = s.wait(0.05); t = toc;
  check(~done, 'wait(0.05) returned %d after %.2f s', done, t);
  check(s.wait(until_it_ends()), 'then it finishes');
end

function cancel_ends_the_search()
  s = small_conjunctions(6);
  s.cancel();
  expect_error(@() s.wait(until_it_ends()), 'aurorax:AURORAX_ERR_CANCELLED');
  check(~isempty(s.error_message()), 'a cancelled search says why');
end

function bad_input_is_an_error()
  expect_error(@() aurorax.conjunctions('2019-02-30T00:00:00', '2019-03-01T00:00:00', '[]', '[]', 1), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() aurorax.conjunctions('2019-01-01T00:00:00', '2019-03-01T00:00:00', '[{', '[]', 1), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-02T00:00:00', 42), 'aurorax:badArgument');
  expect_error(@() aurorax_mex('conjunctions_search_async', 'a', 'b', [], [], 'x'), 'aurorax:badArgument');
  expect_error(@() aurorax.conjunctions('2019-01-01T00:00:00', '2018-01-01T00:00:00', '[]', '[]', 1), ...
               'aurorax:AURORAX_ERR_INVALID_ARGUMENT', 'end');
  s = small_conjunctions(8);
  expect_error(@() s.wait(1, 'Slice', 5), 'aurorax:badArgument', 'Slice');
  expect_error(@() s.wait(1, 'Colour'), 'aurorax:badArgument', 'pairs');
  expect_error(@() s.wait(1, 'Colour', 1), 'aurorax:badArgument', 'Colour');
  expect_error(@() s.wait(NaN), 'aurorax:badArgument', 'timeout');
  expect_error(@() s.wait('10'), 'aurorax:badArgument', 'timeout');
  expect_error(@() aurorax.wait_any({s}, NaN), 'aurorax:badArgument', 'timeout');
  expect_error(@() aurorax_mex('wait', s.handle, NaN), 'aurorax:badArgument', 'NaN');
  s.cancel();
end

function unknown_commands_are_refused_by_name()
  % The old gateway sent every unknown set_* command to set_api_key: a typo set the key.
  expect_error(@() aurorax_mex('set_api_urll', 'http://127.0.0.1:1'), 'aurorax:unknownCommand', 'set_api_urll');
  expect_error(@() aurorax_mex('set_anything', 'x'), 'aurorax:unknownCommand', 'set_anything');
  expect_error(@() aurorax_mex('no_such_command', uint64(1)), 'aurorax:unknownCommand', 'no_such_command');
  expect_error(@() aurorax_mex('conjunctions_search_async_jsonx', '{}'), 'aurorax:unknownCommand');
  expect_error(@() aurorax_mex(repmat('a', 1, 200)), 'aurorax:unknownCommand');
  expect_error(@() aurorax_mex(42), 'aurorax:badArgument');
  % and the URL is untouched: a search still reaches the local server
  s = small_conjunctions(9);
  check(s.wait(until_it_ends()), 'a search after the refused commands');
end

function settings_are_functions_and_check_their_input()
  url = getenv('AURORAX_API_URL');
  aurorax.set_api_url(url);
  aurorax.set_api_key('');            % clears
  aurorax.set_poll_interval(0.5);
  aurorax.set_request_timeout(30);
  aurorax.set_max_retries(3);
  expect_error(@() aurorax.set_api_url('ftp://example.org'), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() aurorax.set_poll_interval(NaN), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() aurorax.set_poll_interval(-1), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() aurorax.set_request_timeout(-3), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() aurorax.set_max_retries(1.5), 'aurorax:badArgument');
  expect_error(@() aurorax.set_poll_interval('5'), 'aurorax:badArgument');
  check(~isempty(regexp(aurorax.version(), '^\d+\.\d+\.\d+', 'once')), 'version %s', aurorax.version());
  % the settings took: a search with them works against the local server
  s = small_conjunctions(10);
  check(s.wait(until_it_ends()), 'a search with the new settings');
end

function outage_tolerance_is_checked_and_reaches_the_library()
  % Negative, NaN, infinite or over a week: the library's INVALID_ARGUMENT; 0 and a week
  % are taken. With no per-request retries, two 502s on the status polls fail a search under
  % tolerance 0 (the v2 rule) and are outlasted under tolerance 30.
  bad = {-1, NaN, Inf, -Inf, 604800.5};
  for i = 1:numel(bad)
    expect_error(@() aurorax.set_outage_tolerance(bad{i}), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  end
  expect_error(@() aurorax.set_outage_tolerance('30'), 'aurorax:badArgument');
  expect_error(@() aurorax.set_outage_tolerance([1 2]), 'aurorax:badArgument');
  expect_error(@() aurorax_mex('set_outage_tolerance'), 'aurorax:badArgument');
  aurorax.set_outage_tolerance(604800);
  aurorax.set_outage_tolerance(int32(0));
  restore = onCleanup(@() restore_retry_settings());
  aurorax.set_max_retries(0);
  faults = '{"route": "status", "fault": "http502", "count": 2}';
  admin('/_testserver/faults', faults);
  s = small_conjunctions(5);
  failed = false;
  try
    s.wait(until_it_ends());
  catch err
    failed = true;
    check(strncmp(err.identifier, 'aurorax:AURORAX_ERR_', 20), 'identifier %s', err.identifier);
  end
  check(failed, 'tolerance 0 and no retries: the first 502 ends the search');
  admin('/_testserver/reset', '{}');   % the fault the failed search left
  aurorax.set_outage_tolerance(30);
  admin('/_testserver/faults', faults);
  s = small_conjunctions(5);
  check(s.wait(until_it_ends()), 'tolerance 30 outlasts two 502s');
end

function every_setting_of_the_header_is_in_the_package()
  % Each aurorax_set_* that include/aurorax.h declares (but the log callback, which is not
  % bound: design.md 2.1) has its +aurorax function and a gateway command that knows it:
  % called without its argument, the command says how to call it (badArgument), it is not
  % an unknown command.
  here = fileparts(mfilename('fullpath'));
  header = fileread(fullfile(here, '..', '..', '..', 'include', 'aurorax.h'));
  names = regexp(header, '(?m)^int aurorax_(set_\w+)\(', 'tokens');
  names = cellfun(@(t) t{1}, names, 'UniformOutput', false);
  check(ismember('set_outage_tolerance', names) && ismember('set_ca_bundle', names), 'header settings: %s', strjoin(names, ', '));
  for i = 1:numel(names)
    if strcmp(names{i}, 'set_log_callback'), continue; end
    check(exist(fullfile(here, '..', '+aurorax', [names{i} '.m']), 'file') == 2, 'no aurorax.%s', names{i});
    expect_error(@() aurorax_mex(names{i}), 'aurorax:badArgument', 'usage');
  end
end

function restore_retry_settings()
  admin('/_testserver/reset', '{}');
  aurorax.set_max_retries(6);
  aurorax.set_outage_tolerance(600);
end

function ca_bundle_is_read_when_set()
  % The file is read at the call: a missing file, or one without a PEM certificate, is
  % refused there with the library's INVALID_ARGUMENT status; '' and [] remove the bundle.
  missing = [tempname() '-no-such-ca.pem'];
  expect_error(@() aurorax.set_ca_bundle(missing), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT', 'no-such-ca.pem');
  not_pem = [tempname() '.pem'];
  fid = fopen(not_pem, 'w'); fprintf(fid, 'not a certificate\n'); fclose(fid);
  cleanup = onCleanup(@() delete(not_pem));
  expect_error(@() aurorax.set_ca_bundle(not_pem), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT', 'PEM');
  expect_error(@() aurorax.set_ca_bundle(42), 'aurorax:badArgument');
  expect_error(@() aurorax_mex('set_ca_bundle'), 'aurorax:badArgument');
  aurorax.set_ca_bundle('');
  aurorax.set_ca_bundle([]);
  % and plain HTTP searches are untouched by it
  s = small_conjunctions(11);
  check(s.wait(until_it_ends()), 'a search after the refused bundles');
end

function [url, ca, state] = tls_server()
  % The HTTPS server bindings/run-tests.sh started (start.sh --tls): its URL
  % (https://localhost:PORT) and the throwaway CA its certificate is signed with.
  state = getenv('AURORAX_TLS_STATE');
  check(~isempty(state), 'AURORAX_TLS_STATE is not set (bindings/run-tests.sh sets it)');
  url = strtrim(fileread(fullfile(state, 'url')));
  ca = fullfile(state, 'ca.pem');
  check(strncmp(url, 'https://localhost:', 18) && exist(ca, 'file') == 2, 'no TLS server in %s', state);
  pid = strtrim(fileread(fullfile(state, 'pid')));
  [rc, ~] = system(['kill -0 ' pid]);
  check(rc == 0, 'the TLS server (pid %s, %s) is no longer running: %s', pid, url, fileread(fullfile(state, 'stderr')));
end

function back_to_the_plain_server()
  aurorax.set_ca_bundle([]);
  aurorax.set_api_url(getenv('AURORAX_API_URL'));
end

function https_without_the_ca_is_a_tls_error()
  % The system's store does not know the test CA: the search fails with the TLS status,
  % and the message names the host. (That it is never retried, one handshake, is counted
  % by tests/https.rs.)
  url = tls_server();
  cleanup = onCleanup(@back_to_the_plain_server);
  aurorax.set_ca_bundle([]);
  aurorax.set_api_url(url);
  s = small_conjunctions(1);
  expect_error(@() s.wait(until_it_ends()), 'aurorax:AURORAX_ERR_TLS', 'localhost');
  p = s.progress();
  check(strcmp(p.phase, 'AURORAX_ERR_TLS'), 'phase %s', p.phase);
end

function https_search_over_http2()
  % The seed search over https://localhost:PORT, trusting the test CA: HTTP/2 is chosen by
  % ALPN (the server's stats, read by stats.sh, say which protocol each request came over).
  [url, ca, state] = tls_server();
  cleanup = onCleanup(@back_to_the_plain_server);
  aurorax.set_ca_bundle(ca);
  aurorax.set_api_url(url);
  s = seed();
  check(s.wait(until_it_ends()), 'the HTTPS search');
  check(s.record_count() == 365, '%d records', s.record_count());
  check(strncmp(s.request_url(), 'https://localhost:', 18), 'request url %s', s.request_url());
  root = fileparts(fileparts(fileparts(fileparts(mfilename('fullpath')))));
  [rc, stats] = system(sprintf('%s/scripts/local-server/stats.sh %s', root, state));
  check(rc == 0, 'stats.sh: %s', stats);
  h2 = regexp(stats, '"HTTP/2\.0":\s*(\d+)', 'tokens', 'once');
  h1 = regexp(stats, '"HTTP/1\.1":\s*(\d+)', 'tokens', 'once');
  check(~isempty(h2) && str2double(h2{1}) > 0 && ~isempty(h1) && str2double(h1{1}) == 0, 'http_versions in %s', stats);
end

function api_key_is_sent_and_typos_leave_it()
  % A second local server with a key (it serves anonymous requests and the right key, and
  % answers 401 to another key): set_api_key's key reaches it, '' clears it, and a mistyped
  % command (once silently taken as set_api_key) changes nothing.
  server = getenv('AURORAX_TESTSERVER');
  check(~isempty(server), 'AURORAX_TESTSERVER is not set (bindings/run-tests.sh sets it)');
  root = fileparts(fileparts(fileparts(fileparts(mfilename('fullpath')))));
  state = tempname();
  [rc, out] = system(sprintf('%s/scripts/local-server/start.sh %s %s --api-key key-of-the-octave-test --search-seconds 0.2', root, server, state));
  check(rc == 0, 'starting a server with a key: %s', out);
  cleanup = onCleanup(@() restore_server(root, state));
  aurorax.set_api_url(strtrim(fileread(fullfile(state, 'url'))));
  aurorax.set_api_key('key-of-the-octave-test');
  s = small_conjunctions(1);
  check(s.wait(until_it_ends()), 'a search with the key');
  expect_error(@() aurorax_mex('set_api_keyy', 'a wrong key'), 'aurorax:unknownCommand', 'set_api_keyy');
  expect_error(@() aurorax_mex('set_api_urll', 'a wrong key'), 'aurorax:unknownCommand', 'set_api_urll');
  t = small_conjunctions(2);
  check(t.wait(until_it_ends()), 'the key survived the mistyped commands');
  aurorax.set_api_key('a wrong key');
  u = small_conjunctions(3);
  expect_error(@() u.wait(until_it_ends()), 'aurorax:AURORAX_ERR_UNAUTHORIZED');
  aurorax.set_api_key('');
  v = small_conjunctions(4);
  check(v.wait(until_it_ends()), 'anonymous after the key was cleared');
end

function restore_server(root, state)
  aurorax.set_api_url(getenv('AURORAX_API_URL'));
  aurorax.set_api_key('');
  system(sprintf('%s/scripts/local-server/stop.sh %s', root, state));
end

function gateway_wait_is_a_bounded_slice()
  % However long a wait the gateway is asked for, it returns within a second so that
  % MATLAB can act on Ctrl-C; the M-code loops. (A search that ends after 60 s rather than
  % never: a gateway that blocks for the whole timeout returns true, failing this test
  % instead of hanging it; a slice has ended before the search, so it returns false.)
  admin('/_testserver/config', '{"search_seconds": 60}');
  s = small_conjunctions(11);
  for timeout = [0, 600, -1]
    tic; done = aurorax_mex('wait', s.handle, timeout); t = toc;
    check(~done && t >= 0.9, 'wait(%g) in the gateway returned %d after %.2f s', timeout, done, t);
  end
  tic; done = s.wait(1.5); t = toc;
  check(~done && t >= 1.4, 's.wait(1.5) returned %d after %.2f s', done, t);
  s.cancel();
end

function ctrl_c_interrupts_a_wait()
  % A separate Octave waits with no limit on a search that never finishes and gets SIGINT,
  % which is what Ctrl-C sends; it must stop and unwind (onCleanup runs). Without the
  % slicing it never stops: 60 s of waiting ends a test that would otherwise hang.
  admin('/_testserver/searches', '{"outcome": "never_finish", "count": 1}');
  here = fileparts(mfilename('fullpath'));
  paths = sprintf('addpath(''%s''); addpath(''%s''); addpath(''%s'');', ...
                  fileparts(which('aurorax_mex')), fileparts(here), here);
  out = [tempname() '.log'];
  script = [ ...
    child_command([paths ' interrupt_child()']) ' > ' out ' 2>&1 & pid=$!; ' ...
    'for i in $(seq 600); do grep -q WAITING ' out ' && break; sleep 0.1; done; ' ...
    'sleep 1; t0=$(date +%s%N); kill -INT $pid; ' ...
    'for i in $(seq 3000); do kill -0 $pid 2>/dev/null || break; sleep 0.02; done; t1=$(date +%s%N); ' ...
    'if kill -0 $pid 2>/dev/null; then echo STILL_WAITING; kill -KILL $pid; fi; ' ...
    'wait $pid; echo "EXIT_MS $(( (t1 - t0) / 1000000 ))"; cat ' out '; rm -f ' out];
  [~, text] = system(['bash -c ''' strrep(script, '''', '''\''''') '''']);
  check(~isempty(strfind(text, 'WAITING')), 'the child never started waiting: %s', text);
  check(isempty(strfind(text, 'STILL_WAITING')), 'the child ignored SIGINT for 60 s: %s', text);
  ms = sscanf(text(strfind(text, 'EXIT_MS') + 8:end), '%d', 1);
  check(~isempty(ms), 'no stop time: %s', text);
  fprintf('  (the child stopped %d ms after SIGINT)\n', ms);
  check(~isempty(strfind(text, 'CLEANUP ran')), 'the child did not unwind: %s', text);
  check(isempty(strfind(text, 'RETURNED')), 'the wait returned normally: %s', text);
end

function columns_have_one_shape_and_nan_for_null()
  % ground sources have no GSM location (null): NaN in a double column
  sources = '{"programs": ["themis-asi", "swarm"], "platforms": ["gillam", "swarma"]}';
  s = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T05:59:59', sources);
  check(s.wait(until_it_ends()), 'ephemeris search');
  c = s.get_data('columns', 'decode_nested', true);
  n = numel(c.epoch);
  check(n > 10, '%d records', n);
  check(isa(c.location_gsm_lat, 'double') && isequal(size(c.location_gsm_lat), [n 1]), 'gsm column');
  ground = strcmp(cellfun(@(d) d.source_type, c.data_source, 'UniformOutput', false), 'ground');
  check(any(ground) && any(~ground), 'both kinds of source');
  check(all(isnan(c.location_gsm_lat(ground))) && all(~isnan(c.location_gsm_lat(~ground))), 'NaN exactly where null');
  check(all(~isnan(c.location_geo_lat)), 'geo latitudes');
  check(iscellstr(c.epoch) && all(cellfun('length', c.epoch) == 19), 'epochs as text');
  check(all(c.data_source_identifier > 0), 'data source ids');
  % the same fields and classes with no records at all
  admin('/_testserver/config', '{"result_count": 0}');
  e = aurorax.ephemeris('2019-01-02T00:00:00', '2019-01-02T05:59:59', sources);
  check(e.wait(until_it_ends()), 'empty search');
  check(strcmp(e.get_data(), '[]'), 'no records: %s', e.get_data());
  z = e.get_data('columns', 'decode_nested', true);
  check(isequal(fieldnames(z), fieldnames(c)), 'the same fields for 0 records');
  f = fieldnames(c);
  for k = 1:numel(f)
    check(strcmp(class(z.(f{k})), class(c.(f{k}))) && isequal(size(z.(f{k})), [0 1]), ...
          'column %s: %s %s for 0 records, %s for %d', f{k}, class(z.(f{k})), mat2str(size(z.(f{k}))), class(c.(f{k})), n);
  end
  if exist('struct2table') == 0 %#ok<EXIST>   Octave has no table type: refused by name
    expect_error(@() s.get_data('table'), 'aurorax:noTable');
  end
end

function columns_of_conjunctions()
  s = small_conjunctions(3);
  check(s.wait(until_it_ends()), 'conjunction search');
  c = s.get_data('columns');
  d = s.get_data('decode');
  check(numel(c.min_distance) == numel(d) && numel(d) == 28, '%d columns rows, %d records', numel(c.min_distance), numel(d));
  check(isequal(c.min_distance, [d.min_distance]'), 'min_distance values');
  check(isequal(c.start, {d.start}'), 'start values');
  check(iscellstr(c.events) && c.events{1}(1) == '[', 'events as JSON text');
  check(isequal(c.end_time, {d.xEnd}') && ~isfield(c, 'end'), 'end_time values');
  n = s.get_data('columns', 'decode_nested', true);
  check(iscell(n.events) && isstruct(n.events{1}), 'events as decoded values');
  % a null and a missing number both become NaN
  x = aurorax.decode_columns('conjunctions', '[{"min_distance": null, "start": null}, {"max_distance": 3}]');
  check(isequaln(x.min_distance, [NaN; NaN]) && isequal(x.max_distance(2), 3), 'NaN for null or missing');
  check(isequal(x.start, {''; ''}), 'empty text for null');
  expect_error(@() aurorax.decode_columns('spaceships', '[]'), 'aurorax:badArgument');
end

function freed_and_forged_handles_are_errors()
  h = aurorax_mex('ephemeris_search_async', '2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  aurorax_mex('free', h);
  expect_error(@() aurorax_mex('check_for_data', h), 'aurorax:badHandle');
  expect_error(@() aurorax_mex('free', h), 'aurorax:badHandle');
  expect_error(@() aurorax_mex('get_data', uint64(987654321)), 'aurorax:badHandle');
  expect_error(@() aurorax_mex('wait', 3.5, 1), 'aurorax:badHandle');
  expect_error(@() aurorax_mex('get_data'), 'aurorax:badArgument');
end

function objects_free_their_search()
  before = aurorax_mex('open_handles');
  s = seed();
  check(aurorax_mex('open_handles') == before + 1, 'one more open');
  s.delete();
  check(aurorax_mex('open_handles') == before, 'freed by delete');
  t = seed(); %#ok<NASGU>
  clear t;
  check(aurorax_mex('open_handles') == before, 'freed by clear');
end

function clear_mex_releases_every_search()
  h = aurorax_mex('ephemeris_search_async', '2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  check(aurorax_mex('open_handles') >= 1, 'open');
  clear aurorax_mex;   % runs the gateway's mexAtExit: frees every search, stops the engine
  check(aurorax_mex('open_handles') == 0, 'a fresh gateway has no open searches');
  expect_error(@() aurorax_mex('check_for_data', h), 'aurorax:badHandle');
  s = seed();          % and the engine starts again
  check(s.wait(until_it_ends()), 'a search after clear mex works');
end

function long_wait_returns_control_between_slices()
  % A 3-second search: the wait hands control back to M-code every slice (OnSlice runs,
  % drawnow runs), which is what lets Ctrl-C and figures work during a long wait.
  global slice_log
  slice_log = struct('t', {}, 'phase', {});
  admin('/_testserver/config', '{"search_seconds": 3}');
  s = small_conjunctions(2);
  t0 = tic;
  done = s.wait(until_it_ends(), 'OnSlice', @(p) log_slice(p, t0));
  total = toc(t0);
  check(done && total >= 2.5, 'wait returned %d after %.2f s', done, total);
  times = [slice_log.t];
  % control came back while the search was still running, more than once (how often
  % depends on the machine's load, so no count beyond that is asserted)
  check(numel(times) >= 2, 'only %d slices in %.1f s', numel(times), total);
  fprintf('  (%d slices in %.1f s, the longest gap %.2f s)\n', numel(times), total, max(diff([0 times])));
  phases = {slice_log.phase};
  check(any(strcmp(phases, 'running')) && strcmp(phases{end}, 'ready'), 'phases seen: %s', strjoin(unique(phases), ', '));
  % and the default slice is short too
  slice_log = struct('t', {}, 'phase', {});
  e = small_conjunctions(12);
  check(e.wait(until_it_ends(), 'OnSlice', @(p) log_slice(p, tic)), 'second wait');
  check(numel(slice_log) >= 2 && any(strcmp({slice_log.phase}, 'running')), 'only %d slices with the default slice', numel(slice_log));
end

function log_slice(p, t0)
  global slice_log
  slice_log(end + 1) = struct('t', toc(t0), 'phase', p.phase);
end

function wait_progress_prints_phase_time_and_megabytes()
  % 2000 records (about 15.6 MB) after 1.5 s, and a data request held 1.5 s before its
  % body: the lines show running, then downloading with MB of expected, then ready.
  admin('/_testserver/config', '{"search_seconds": 1.5, "result_count": 2000}');
  admin('/_testserver/faults', '{"route": "data", "fault": "delay", "delay_ms": 1500}');
  s = small_conjunctions(1);
  limit = until_it_ends();
  out = evalc('done = s.wait(limit, ''Progress'', true, ''ProgressEvery'', 0.3);');
  check(done, 'wait with progress');
  p = s.progress();
  bytes = p.bytes_expected;   % on the wire: the records and the {"result": ...} around them
  data_length = aurorax_mex('get_data_length', s.handle);
  check(p.bytes_received == bytes && bytes > data_length && bytes < data_length + 100 && p.phase_code == 3, ...
        'progress at the end: %d of %d bytes for %d bytes of records', p.bytes_received, bytes, data_length);
  lines = strsplit(strtrim(out), newline);
  check(numel(lines) >= 4, 'only %d progress lines: %s', numel(lines), out);
  check(all(strncmp(lines, 'aurorax conjunctions ', 21)), 'line format: %s', out);
  check(~isempty(regexp(out, 'running, \d+\.\d s', 'once')), 'no running line: %s', out);
  check(~isempty(regexp(out, sprintf('downloading, \\d+\\.\\d s, \\d+\\.\\d of %.1f MB', bytes / 1e6), 'once')), 'no downloading line with MB of expected: %s', out);
  check(~isempty(regexp(lines{end}, sprintf('ready, \\d+\\.\\d s, %.1f of %.1f MB$', bytes / 1e6, bytes / 1e6), 'once')), 'last line: %s', lines{end});
  % a failure is named by the last line and raised
  admin('/_testserver/searches', '{"outcome": "fail", "count": 1, "message": "Search failed: progress test"}');
  f = small_conjunctions(2);
  try
    evalc('f.wait(limit, ''Progress'', true)');
    error('test:failed', 'no error');
  catch err
    check(strcmp(err.identifier, 'aurorax:AURORAX_ERR_SEARCH_FAILED'), 'identifier %s', err.identifier);
  end
  p = f.progress();
  check(strcmp(p.phase, 'AURORAX_ERR_SEARCH_FAILED') && isnan(p.bytes_expected), 'failed progress: %s', p.phase);
end

function attach_follows_a_search_by_request_id()
  s = submitted(small_conjunctions(4));
  id = s.request_id();
  a = aurorax.attach('conjunctions', id);
  check(strcmp(a.kind, 'conjunctions') && strcmp(a.request_id(), id), 'attached handle');
  check(a.wait(until_it_ends()) && s.wait(until_it_ends()), 'both finish');
  check(strcmp(a.get_data(), s.get_data()), 'the same records through both handles');
  expect_error(@() aurorax.attach('conjunctions', 'not-a-request-id'), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() aurorax.attach('spaceships', id), 'aurorax:badArgument');
  u = aurorax.attach('ephemeris', '0b6a8a0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
  expect_error(@() u.wait(until_it_ends()), 'aurorax:AURORAX_ERR_API');
end

function wait_any_returns_the_first_to_end()
  admin('/_testserver/searches', '{"outcome": "never_finish", "count": 1}');
  slow = submitted(small_conjunctions(5));   % submitted first, so it is the one that never finishes
  fast = small_conjunctions(6);
  tic; i = aurorax.wait_any({slow, fast}, until_it_ends()); t = toc;
  check(i == 2, 'wait_any gave %d after %.1f s', i, t);
  check(fast.check_for_data(), 'the one it named is ready');
  check(aurorax.wait_any({fast, slow}, until_it_ends()) == 1, 'lowest index that has ended');
  check(aurorax.wait_any(fast, until_it_ends()) == 1, 'one search, not in a cell');
  tic; i = aurorax.wait_any({slow}, 0.7); t = toc;
  check(i == 0 && t >= 0.6, 'timeout: %d after %.2f s', i, t);
  slow.cancel();
  check(aurorax.wait_any({slow}, until_it_ends()) == 1, 'a cancelled search has ended');
  expect_error(@() aurorax.wait_any({}, 1), 'aurorax:badArgument');
  expect_error(@() aurorax.wait_any({fast}, 1, 'Slice', 3), 'aurorax:badArgument');
  h = fast.handle;
  fast.delete();
  expect_error(@() aurorax_mex('wait_any', [slow.handle h], 1), 'aurorax:badHandle');
end

function records_one_by_one()
  admin('/_testserver/searches', '{"outcome": "never_finish", "count": 1}');
  pending = submitted(small_conjunctions(7));   % the server has it: the never-finishing one
  expect_error(@() pending.record_count(), 'aurorax:AURORAX_ERR_NOT_READY');
  expect_error(@() pending.record(1), 'aurorax:AURORAX_ERR_NOT_READY');
  pending.cancel();
  s = small_conjunctions(3);
  check(s.wait(until_it_ends()), 'search');
  n = s.record_count();
  records = s.get_data('records');
  decoded = s.get_data('decode');
  check(n == 28 && isequal(size(records), [n 1]) && iscellstr(records), '%d records', n);
  for i = [1 14 n]
    check(isequal(jsondecode(records{i}), decoded(i)), 'record %d decodes as in the array', i);
    check(strcmp(s.record(i), records{i}), 'record(%d)', i);
  end
  check(strcmp(['[' strjoin(records', ',') ']'], s.get_data()), 'the records are the array''s slices, in order');
  expect_error(@() s.record(n + 1), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() s.record(0), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() s.record(1.5), 'aurorax:badArgument');
end

function describe_is_the_server_text()
  s = small_conjunctions(8);
  text = s.describe();
  check(ischar(text) && ~isempty(strfind(lower(text), 'conjunction')), 'describe: %s', text);
  check(strcmp(s.describe(), text), 'cached');
  e = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  check(~isempty(strfind(lower(e.describe()), 'ephemeris')), 'ephemeris describe: %s', e.describe());
  admin('/_testserver/faults', '{"route": "describe", "fault": "http500", "count": 10}');
  d = aurorax.data_products('2020-02-01T00:00:00', '2020-02-02T23:59:59', '{"programs": ["trex"]}', []);
  try
    d.describe();
    error('test:failed', 'no error');
  catch err
    check(strncmp(err.identifier, 'aurorax:AURORAX_ERR_', 20), 'describe failure id %s: %s', err.identifier, err.message);
  end
end

function max_result_bytes_caps_a_result()
  cleanup = onCleanup(@() aurorax.set_max_result_bytes(0));
  aurorax.set_max_result_bytes(10000);   % a month of conjunctions is about 220 KB
  s = small_conjunctions(9);
  expect_error(@() s.wait(until_it_ends()), 'aurorax:AURORAX_ERR_PROTOCOL');
  aurorax.set_max_result_bytes(0);
  t = small_conjunctions(9);
  check(t.wait(until_it_ends()) && t.record_count() == 28, 'no cap after 0');
  expect_error(@() aurorax.set_max_result_bytes(1.5), 'aurorax:badArgument');
end

function log_level_is_checked()
  cleanup = onCleanup(@() aurorax.set_log_level('off'));
  for name = {'error', 'warn', 'info', 'debug', 'off', 'OFF'}
    aurorax.set_log_level(name{1});
  end
  aurorax.set_log_level(-1);
  expect_error(@() aurorax.set_log_level('verbose'), 'aurorax:badArgument', 'verbose');
  expect_error(@() aurorax.set_log_level(4), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() aurorax.set_log_level(0.5), 'aurorax:badArgument');
  % the lines themselves go to the process's stderr: a child Octave's, read here. Set by
  % the function, and by AURORAX_LOG alone (what MATLAB and Julia users have instead of
  % the C callback).
  here = fileparts(mfilename('fullpath'));
  paths = sprintf('addpath(''%s''); addpath(''%s'');', fileparts(which('aurorax_mex')), fileparts(here));
  search = 's = aurorax.ephemeris(''2019-01-01T00:00:00'', ''2019-01-01T01:00:00'', ''{\"programs\": [\"swarm\"]}''); s.wait(300); disp(s.request_id());';
  [rc, out] = system(['env -u AURORAX_LOG timeout 60 ' child_command([paths ' aurorax.set_log_level(''info''); ' search]) ' 2>&1']);
  check(rc == 0 && ~isempty(regexp(out, 'aurorax info: search \d+: submitted, request id [0-9a-f-]{36}', 'once')), 'no info line from set_log_level: %s', out);
  [rc, out] = system(['AURORAX_LOG=info timeout 60 ' child_command([paths ' ' search]) ' 2>&1']);
  check(rc == 0 && ~isempty(strfind(out, 'aurorax info: search')), 'no info line from AURORAX_LOG=info: %s', out);
  [rc, out] = system(['env -u AURORAX_LOG timeout 60 ' child_command([paths ' ' search]) ' 2>&1']);
  check(rc == 0 && isempty(strfind(out, 'aurorax info')), 'lines without asking: %s', out);
end

function data_sources_as_a_search()
  s = aurorax.data_sources(struct('program', 'swarm'));
  check(strcmp(s.kind, 'data_sources') && s.wait(until_it_ends()), 'data sources');
  c = s.get_data('columns');
  check(isequal(sort(c.identifier), [3; 29; 30]) && all(strcmp(c.program, 'swarm')), 'swarm sources: %s', mat2str(c.identifier'));
  check(all(strcmp(c.source_type, 'leo')), 'source types');
  all_sources = aurorax.data_sources();
  check(all_sources.wait(until_it_ends()) && all_sources.record_count() > 3, 'every source');
  full = aurorax.data_sources('{"program": "themis-asi", "format": "full_record"}');
  check(full.wait(until_it_ends()), 'full records');
  r = jsondecode(full.record(1));
  check(isfield(r, 'ephemeris_metadata_schema'), 'full_record has the metadata schemas');
  expect_error(@() aurorax.data_sources('{"program": '), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() aurorax.data_sources(42), 'aurorax:badArgument');
  expect_error(@() s.describe(), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
end

function availability_as_a_search()
  e = aurorax.ephemeris_availability('2020-01-01', '2020-01-03', struct('program', 'swarm', 'platform', 'swarma'));
  check(strcmp(e.kind, 'ephemeris_availability') && e.wait(until_it_ends()), 'ephemeris availability');
  c = e.get_data('columns');
  check(isequal(c.data_source_identifier, 3), 'one source, Swarm A: %s', mat2str(c.data_source_identifier));
  check(iscellstr(c.available_ephemeris), 'the availability list as JSON text');
  days = jsondecode(c.available_ephemeris{1});
  check(isstruct(days) && numel(fieldnames(days)) >= 2, 'per-day counts');
  d = aurorax.data_products_availability('2020-01-01', '2020-01-31', '{"program": "themis-asi", "platform": "gillam"}');
  check(d.wait(until_it_ends()), 'data products availability');
  c = d.get_data('columns');
  check(isequal(c.data_source_identifier, 46) && iscell(c.available_data_products), 'THEMIS-ASI GILL: %s', mat2str(c.data_source_identifier));
  expect_error(@() aurorax.ephemeris_availability('2020-13-01', '2020-01-03'), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
end

% ---- columns (design.md 2.3) --------------------------------------------------------------

function v = at_pointer(record, pointer)
  % The decoded record's value at a JSON Pointer of object keys (as jsondecode named them:
  % "end" is xEnd); [] where missing.
  keys = strsplit(pointer(2:end), '/');
  v = record;
  for k = 1:numel(keys)
    key = matlab.lang.makeValidName(keys{k});
    if isstruct(v) && isscalar(v) && isfield(v, key), v = v.(key); else, v = []; return; end
  end
end

function check_columns_against_records(s, label)
  % Every column of s's kind, plain and with decode_nested, against every record decoded on
  % its own; every key of every record is some column's; decode_columns of the whole text
  % agrees.
  spec = aurorax.column_spec(s.kind);
  c = s.get_data('columns');
  cd = s.get_data('columns', 'decode_nested', true);
  texts = s.get_data('records');
  n = numel(texts);
  check(n > 0, '%s: no records', label);
  check(isequal(fieldnames(c), spec(:, 1)) && isequal(fieldnames(cd), spec(:, 1)), '%s: the fields are the spec''s', label);
  check(~any(strcmp(spec(:, 1), 'end')) && all(cellfun(@isvarname, spec(:, 1))), '%s: every name is one MATLAB accepts', label);
  firsts = cellfun(@(p) strtok(p, '/'), spec(:, 2), 'UniformOutput', false);
  for i = 1:n
    r = jsondecode(texts{i});
    keys = fieldnames(r);
    covered = ismember(keys, cellfun(@matlab.lang.makeValidName, firsts, 'UniformOutput', false));
    check(all(covered), '%s record %d: keys without a column: %s', label, i, strjoin(keys(~covered)', ', '));
    for k = 1:size(spec, 1)
      [name, pointer, type] = spec{k, :};
      want = at_pointer(r, pointer);
      col = c.(name);
      check(isequal(size(col), [n 1]), '%s: column %s is %s', label, name, mat2str(size(col)));
      switch type
        case 'number'
          check(isa(col, 'double'), '%s: %s is %s', label, name, class(col));
          if (isnumeric(want) || islogical(want)) && isscalar(want)
            check(col(i) == double(want), '%s record %d %s: %g, the record has %g', label, i, name, col(i), double(want));
          else
            check(isnan(col(i)), '%s record %d %s: %g where the record has no number', label, i, name, col(i));
          end
        case 'text'
          check(iscellstr(col), '%s: %s is not a cellstr', label, name);
          if ischar(want)
            check(strcmp(col{i}, want), '%s record %d %s: "%s", the record has "%s"', label, i, name, col{i}, want);
          else
            check(isempty(col{i}), '%s record %d %s: "%s" where the record has no text', label, i, name, col{i});
          end
        otherwise
          check(iscellstr(col), '%s: %s is not a cellstr of JSON texts', label, name);
          check(isequaln(jsondecode(col{i}), want), '%s record %d %s: its JSON text decodes to another value', label, i, name);
          check(isequaln(cd.(name){i}, want), '%s record %d %s: decode_nested gives another value', label, i, name);
      end
    end
  end
  whole = aurorax.decode_columns(s.kind, s.get_data());
  check(isequaln(whole, cd), '%s: decode_columns of the whole text differs from the columns', label);
end

function columns_match_the_records_for_every_kind()
  s = small_conjunctions(3);
  sources = '{"programs": ["themis-asi", "swarm"], "platforms": ["gillam", "swarma"]}';
  e = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T02:59:59', sources);
  d = aurorax.data_products('2020-01-01T00:00:00', '2020-01-04T23:59:59', '{"programs": ["trex"]}', '');
  ds = aurorax.data_sources(struct('program', 'swarm'));
  ea = aurorax.ephemeris_availability('2020-01-01', '2020-01-03', struct('program', 'swarm'));
  da = aurorax.data_products_availability('2020-01-01', '2020-01-31', '{"program": "themis-asi", "platform": "gillam"}');
  all_kinds = {s, e, d, ds, ea, da};
  for k = 1:numel(all_kinds)
    x = all_kinds{k};
    check(x.wait(until_it_ends()), '%s search', x.kind);
    check_columns_against_records(x, x.kind);
  end
  c = s.get_data('columns');
  check(all(cellfun('length', c.end_time) == 19), 'every conjunction has its end_time (it was empty under the name end)');
  p = d.get_data('columns');
  check(all(cellfun('length', p.end_time) == 19), 'every data product has its end_time');
  check(any(isnan(e.get_data('columns').location_gsm_lat)), 'a null GSM latitude is NaN');
  expect_error(@() aurorax_mex('column_f64', s.handle, 'min_distance'), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT');
  expect_error(@() aurorax_mex('column_text', s.handle, ''), 'aurorax:badArgument');
  expect_error(@() aurorax_mex('column_json', s.handle, 42), 'aurorax:badArgument');
  expect_error(@() s.get_data('columns', 'decode_nestd', true), 'aurorax:badArgument');
  expect_error(@() s.get_data('text', 'decode_nested', true), 'aurorax:badArgument');
  % before the data is in: the library's NOT_READY
  admin('/_testserver/searches', '{"outcome": "never_finish"}');
  w = small_conjunctions(4);
  expect_error(@() aurorax_mex('column_f64', w.handle, '/min_distance'), 'aurorax:AURORAX_ERR_NOT_READY');
end

function events_are_one_row_per_event()
  s = small_conjunctions(5);
  check(s.wait(until_it_ends()), 'conjunction search');
  t = s.get_data('events');
  texts = s.get_data('records');
  names = {'record'; 'event'; 'conjunction_type'; 'start'; 'end_time'; 'min_distance'; 'max_distance'};
  for side = {'e1', 'e2'}
    for f = {'identifier', 'program', 'platform', 'instrument_type', 'source_type', 'display_name'}
      names{end + 1, 1} = sprintf('%s_source_%s', side{1}, f{1}); %#ok<AGROW>
    end
  end
  check(isequal(fieldnames(t), names), 'the event columns: %s', strjoin(fieldnames(t)', ', '));
  row = 0;
  for i = 1:numel(texts)
    r = jsondecode(texts{i});
    ev = r.events;
    if iscell(ev), ev = [ev{:}]; end
    for k = 1:numel(ev)
      row = row + 1;
      x = ev(k);
      check(t.record(row) == i && t.event(row) == k, 'row %d: record %g event %g, expected %d %d', row, t.record(row), t.event(row), i, k);
      check(strcmp(t.conjunction_type{row}, x.conjunction_type) && strcmp(t.start{row}, x.start) && strcmp(t.end_time{row}, x.xEnd), 'row %d: type and times', row);
      check(t.min_distance(row) == x.min_distance && t.max_distance(row) == x.max_distance, 'row %d: distances', row);
      for side = {'e1', 'e2'}
        src = x.([side{1} '_source']);
        check(t.([side{1} '_source_identifier'])(row) == src.identifier, 'row %d: %s identifier', row, side{1});
        for f = {'program', 'platform', 'instrument_type', 'source_type', 'display_name'}
          got = t.([side{1} '_source_' f{1}]){row};
          check(strcmp(got, src.(f{1})), 'row %d: %s %s "%s", the record has "%s"', row, side{1}, f{1}, got, src.(f{1}));
        end
      end
    end
  end
  f = fieldnames(t);
  for k = 1:numel(f), check(numel(t.(f{k})) == row, 'column %s has %d rows, %d events', f{k}, numel(t.(f{k})), row); end
  check(row >= numel(texts), '%d events in %d records', row, numel(texts));
  % the same table from the JSON texts of the events column
  c = s.get_data('columns');
  check(isequaln(aurorax_mex('events_from_json', c.events), t), 'events_from_json of the events column');
  e = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T00:59:59', '{"programs": ["swarm"]}');
  expect_error(@() e.get_data('events'), 'aurorax:badArgument', 'conjunction');
  if exist('struct2table') == 0 %#ok<EXIST>
    expect_error(@() s.get_data('events_table'), 'aurorax:noTable');
  end
end

function events_scanner_reads_escapes_and_utf8()
  % the gateway's event scanner on texts the local server never sends: escapes, non-ASCII,
  % \u escapes (a surrogate pair too), null, missing and wrong-typed fields, unknown keys
  cafe = ['caf' char([195 169])];
  first = ['[{"conjunction_type": "nb\"trace\\", "start": "' cafe '", "end": "\u00e9\ud83d\ude00\n", ' ...
           '"min_distance": -1.5e2, "max_distance": null, "generated_e1_ephemeris_query": {"request_id": "x", "data_sources": {"programs": ["a"]}}, ' ...
           '"e1_source": {"identifier": 7, "display_name": "Fort", "extra": [1, {"a": 2}]}, "e2_source": null}]'];
  t = aurorax_mex('events_from_json', {first; ''; '[]'; ...
    '[{"min_distance": "7", "start": 3, "e2_source": {"identifier": true, "program": "p"}}, {}]'});
  check(isequal(t.record', [1 4 4]) && isequal(t.event', [1 1 2]), 'rows: %s %s', mat2str(t.record'), mat2str(t.event'));
  check(strcmp(t.conjunction_type{1}, 'nb"trace\'), 'escaped quote and backslash: %s', t.conjunction_type{1});
  check(isequal(double(t.start{1}), double(cafe)), 'UTF-8 bytes kept');
  check(isequal(double(t.end_time{1}), [195 169 240 159 152 128 10]), 'u escapes to UTF-8: %s', mat2str(double(t.end_time{1})));
  check(t.min_distance(1) == -150 && isnan(t.max_distance(1)), 'numbers and null');
  check(t.e1_source_identifier(1) == 7 && strcmp(t.e1_source_display_name{1}, 'Fort'), 'e1 source');
  check(isnan(t.e2_source_identifier(1)) && isempty(t.e2_source_program{1}), 'a null source');
  check(isnan(t.min_distance(2)) && isempty(t.start{2}), 'wrong types give NaN and empty text');
  check(t.e2_source_identifier(2) == 1 && strcmp(t.e2_source_program{2}, 'p'), 'true as 1');
  check(all(cellfun(@ischar, t.e1_source_platform)) && isnan(t.min_distance(3)), 'missing fields');
  % a NUL inside a value (\u0000) takes the gateway's other way of making text; repeats and
  % empties are shared
  z = aurorax_mex('events_from_json', {'[{"conjunction_type": "a\u0000b"}, {"conjunction_type": "a\u0000b"}, {}, {"conjunction_type": "c"}]'});
  check(isequal(double(z.conjunction_type{1}), [97 0 98]) && isequal(z.conjunction_type{2}, z.conjunction_type{1}), 'a NUL kept');
  check(isempty(z.conjunction_type{3}) && strcmp(z.conjunction_type{4}, 'c') && isequal(size(z.conjunction_type), [4 1]), 'empty and plain');
  one = aurorax_mex('events_from_json', {'[{"start": "s"}]'});
  check(isequal(size(one.start), [1 1]) && strcmp(one.start{1}, 's') && isequal(size(one.e1_source_program), [1 1]), 'one row');
  expect_error(@() aurorax_mex('events_from_json', {'[{"start": "x"'}), 'aurorax:AURORAX_ERR_PROTOCOL');
  none = aurorax_mex('events_from_json', {'{"start": "x"}'; 'null'});   % not an array: no events
  check(isempty(none.record) && iscell(none.start) && isequal(size(none.start), [0 1]), 'no rows for events that are not an array');
  expect_error(@() aurorax_mex('events_from_json', 'x'), 'aurorax:badArgument');
end

function get_data_refuses_a_typo_before_waiting()
  admin('/_testserver/searches', '{"outcome": "never_finish"}');
  s = small_conjunctions(6);
  % the search never finishes: a get_data that waited before looking at its argument
  % would never return (the suite's timeout fails it)
  expect_error(@() s.get_data('colums'), 'aurorax:badArgument', 'colums');
  expect_error(@() s.get_data(42), 'aurorax:badArgument');
end

function handle_numbers_are_not_reused_after_clear_mex()
  % An object made before `clear mex` keeps its number; the next load of the gateway must not
  % hand that number to a newer search, or the old object would read and free it.
  clear aurorax_mex;
  old = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  clear aurorax_mex;   % frees old's search; old still holds its number
  new = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  check(new.handle ~= old.handle, 'the new search got the old one''s number %d', old.handle);
  expect_error(@() old.check_for_data(), 'aurorax:badHandle');
  before = aurorax_mex('open_handles');
  delete(old);   % must not free the new search
  check(aurorax_mex('open_handles') == before, 'deleting the stale object freed another search');
  check(new.wait(until_it_ends()), 'the new search still works');
  clear aurorax_mex;
  newer = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  check(newer.handle > new.handle, 'numbers grow across loads: %d after %d', newer.handle, new.handle);
end

% ---- MATLAB as its users run it -------------------------------------------------------------

function s = str(text)
  % A MATLAB string ("...") made from text: the real class on MATLAB, the stand-in in
  % tests/string_standin under Octave (no double-quoted literal here: that is MATLAB-only
  % syntax in one and a char vector in the other).
  if is_octave()
    here = fileparts(mfilename('fullpath'));
    standin = fullfile(here, 'string_standin');
    if ~any(strcmp(strsplit(path(), pathsep), standin)), addpath(standin); end
  end
  s = string(text);
end

function string_scalars_are_text_at_every_entry_point()
  here = fileparts(mfilename('fullpath'));
  cleanup = onCleanup(@() rmpath_if_there(fullfile(here, 'string_standin')));
  x = str('abc');
  check(isstring(x) && strcmp(class(x), 'string') && ~ischar(x), 'the string under test is not a string: %s', class(x));
  % the gateway: the command name and every kind of text argument
  check(strcmp(aurorax_mex(str('version')), aurorax.version()), 'a command name given as a string');
  url = getenv('AURORAX_API_URL');
  aurorax.set_api_url(str(url));
  e = aurorax.ephemeris(str('2019-01-01T00:00:00'), str('2019-01-01T01:00:00'), str('{"programs": ["swarm"]}'));
  check(e.wait(until_it_ends()), 'an ephemeris search from strings');
  plain = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  check(plain.wait(until_it_ends()) && strcmp(e.get_data(), plain.get_data()), 'the same records as from char vectors');
  c = aurorax.conjunctions(str('2019-02-01T00:00:00'), str('2019-02-28T23:59:59'), ...
                           str('[{"programs": ["themis-asi"]}]'), str('[{"programs": ["swarm"]}]'), 500);
  check(c.wait(until_it_ends()), 'a conjunction search from strings');
  j = aurorax.ephemeris_json(str('{"data_sources": {"programs": ["swarm"]}, "start": "2019-01-01T00:00:00", "end": "2019-01-01T01:00:00"}'));
  check(j.wait(until_it_ends()), 'a _json search from a string');
  a = aurorax.attach(str('ephemeris'), str(e.request_id()));
  check(a.wait(until_it_ends()) && strcmp(a.request_id(), e.request_id()), 'attach from strings');
  check(isequal(aurorax_mex('column_text', e.handle, str('/data_source/program')), ...
                aurorax_mex('column_text', e.handle, '/data_source/program')), 'a column path as a string');
  cols = e.get_data(str('columns'), str('decode_nested'), true);
  check(isstruct(cols) && isfield(cols, 'metadata'), 'get_data(form, option) as strings');
  check(e.wait(until_it_ends(), str('Slice'), 0.5), 'a wait option name as a string');
  check(aurorax.wait_any({e}, until_it_ends(), str('Slice'), 0.5) == 1, 'a wait_any option name as a string');
  ds = aurorax.data_sources(str('{"program": "swarm"}'));
  check(ds.wait(until_it_ends()), 'data sources from a string filter');
  dcols = ds.get_data('columns');
  check(all(strcmp(dcols.program, 'swarm')), 'a data-source filter as a string');
  av = aurorax.ephemeris_availability(str('2019-01-01'), str('2019-01-02'), str('{"program": "swarm"}'));
  check(av.wait(until_it_ends()), 'availability from strings');
  f = [tempname() '.ndjson'];
  e.save_data(str(f), str('ndjson'));
  check(numel(strsplit(strtrim(fileread(f)), newline)) == e.record_count(), 'save_data(path, format) as strings');
  delete(f);
  ev = aurorax_mex('events_from_json', str({'[{"start": "s1"}]', '[{"start": "s2"}, {"start": "s3"}]'}));
  check(isequal(ev.start, {'s1'; 's2'; 's3'}), 'events_from_json of a string array');
  % the package's own checks
  aurorax.set_log_level(str('warn'));
  aurorax.set_log_level(str('off'));
  expect_error(@() aurorax.set_log_level(str('loud')), 'aurorax:badArgument', '''loud'' is not one of');
  aurorax.set_api_key(str('a-key'));
  aurorax.set_api_key(str(''));   % "" clears it, as '' does
  aurorax.set_ca_bundle(str(''));
  after = aurorax.data_sources();
  check(after.wait(until_it_ends()), 'a search after the settings');
  % a string array and <missing> are refused by name, by the gateway and by the package
  expect_error(@() aurorax.set_api_url(str({url, url})), 'aurorax:badArgument', 'string array');
  expect_error(@() aurorax.set_api_url(str(NaN)), 'aurorax:badArgument', '<missing>');
  expect_error(@() aurorax_mex(str({'version', 'version'})), 'aurorax:badArgument', 'string array');
  expect_error(@() aurorax.attach(str(NaN), 'x'), 'aurorax:badArgument', '<missing>');
  expect_error(@() aurorax.set_log_level(str({'warn', 'off'})), 'aurorax:badArgument', 'string array');
  expect_error(@() aurorax.data_sources(str(NaN)), 'aurorax:badArgument', '<missing>');
  expect_error(@() e.get_data(str({'text', 'columns'})), 'aurorax:badArgument', 'string array');
  expect_error(@() e.get_data(str('colums')), 'aurorax:badArgument', 'colums');
  expect_error(@() aurorax_mex('set_api_url', ['ab'; 'cd']), 'aurorax:badArgument', 'char matrix');
  aurorax.set_api_url(url);
end

function rmpath_if_there(folder)
  if any(strcmp(strsplit(path(), pathsep), folder)), rmpath(folder); end
end

function describe_never_blocks_a_gateway_call()
  % The server takes 3 s to describe. Each gateway call returns within its slice; the
  % package's describe loops over them and gets the text. (Before: one 3 s call, and up
  % to the request timeout on a slower server.)
  admin('/_testserver/config', '{"latency": {"describe": 3}}');
  s = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  t0 = tic;
  [text, done] = aurorax_mex('describe', s.handle, 1);
  t = toc(t0);
  check(~done && isempty(text) && t >= 0.9, 'the first describe slice: done %d after %.2f s', done, t);
  fprintf('  (a 1 s describe slice took %.2f s)\n', t);
  expect_error(@() aurorax_mex('describe', s.handle), 'aurorax:AURORAX_ERR_TIMEOUT', 'call again');
  longest = 0; calls = 0;
  while ~done
    tc = tic;
    [text, done] = aurorax_mex('describe', s.handle, 0.2);
    longest = max(longest, toc(tc)); calls = calls + 1;
    check(toc(t0) < 120, 'no description after 120 s');   % ends a loop that would not end
  end
  % one call that blocked until the answer would make a single call
  check(calls >= 2, 'slices of 0.2 s: %d calls, the longest %.2f s', calls, longest);
  fprintf('  (0.2 s describe slices: %d calls, the longest %.2f s)\n', calls, longest);
  check(~isempty(strfind(lower(text), 'ephemeris')) && toc(t0) >= 2.5, 'the text after about 3 s: %s', text);
  asked = route_count('describe');
  check(asked >= 1, 'the server''s stats count no describe: %d', asked);
  check(strcmp(s.describe(), text) && route_count('describe') == asked, 'the package''s describe: cached, the server not asked again');
  % the package's loop, on a fresh search
  d = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T02:00:00', '{"programs": ["swarm"]}');
  tc = tic;
  check(~isempty(strfind(d.describe(), '2019-01-01T02:00:00')) && toc(tc) >= 2.5, 's.describe() waits for the server');
  % a search freed while its describe is still running: freed when the describe returns
  f = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T03:00:00', '{"programs": ["swarm"]}');
  [~, done] = aurorax_mex('describe', f.handle, 0.1);
  check(~done, 'describe answered at once');
  before = aurorax_mex('open_handles');
  delete(f);
  check(aurorax_mex('open_handles') == before - 1, 'the handle left the table');
  pause(3.5);
  aurorax_mex('version');   % any call joins the finished describe and frees its search
end

function shutdown_never_blocks_a_gateway_call()
  % A search whose submit the server holds 2.5 s when the engine stops: the library gives
  % it time to be deleted, so aurorax_shutdown blocks a few seconds. The gateway's shutdown
  % returns within its slice each time; aurorax.shutdown loops until it is done.
  admin('/_testserver/config', '{"latency": {"submit": 2.5, "describe": 6}}');
  s = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  [~, done] = aurorax_mex('describe', s.handle, 0.1);   % and a describe in flight
  check(~done, 'describe answered at once');
  pause(0.3);
  t0 = tic; longest = 0; calls = 0; done = false;
  while ~done
    tc = tic;
    done = aurorax_mex('shutdown', 0.2);
    longest = max(longest, toc(tc)); calls = calls + 1;
    check(toc(t0) < 120, 'the engine did not stop within 120 s');   % ends a loop that would not end
  end
  total = toc(t0);
  fprintf('  (shutdown: %d calls over %.2f s, the longest %.2f s)\n', calls, total, longest);
  % one call that blocked for the whole shutdown would make a single call
  check(calls >= 2 && total >= 0.5, 'the shutdown finished at once (%.2f s, %d calls): nothing was bounded', total, calls);
  % the describe in flight ended with the engine: an error, not the server's answer (6 s)
  ended = false;
  try
    s.describe();
  catch err
    ended = true;
    check(strncmp(err.identifier, 'aurorax:AURORAX_ERR_', 20), 'describe after shutdown: %s', err.identifier);
  end
  check(ended, 'the describe outlived the shutdown: it got the server''s answer');
  % nothing running: done on the first call
  check(aurorax_mex('shutdown', 0.2), 'a shutdown with nothing running needed more than one call');
  admin('/_testserver/reset', '{}');
  again = aurorax.data_sources();
  check(again.wait(until_it_ends()), 'the engine starts again');
end

function clear_mex_with_a_describe_in_flight_is_bounded()
  % clear mex must join the gateway's describe thread before the file is unloaded; it stops
  % the engine first, which ends the describe, so it takes the library's shutdown bound
  % (a few seconds), not the server's 20 s or the request timeout.
  admin('/_testserver/config', '{"latency": {"describe": 20}}');
  aurorax.set_request_timeout(60);
  restore = onCleanup(@() aurorax.set_request_timeout(30));
  s = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  [~, done] = aurorax_mex('describe', s.handle, 0.1);
  check(~done, 'describe answered at once');
  t0 = tic;
  clear aurorax_mex;
  t = toc(t0);
  fprintf('  (clear mex with a describe in flight: %.2f s)\n', t);
  % before the server's answer, which it holds 20 s
  check(t < 20, 'clear mex waited %.1f s, for the describe''s answer', t);
  check(aurorax_mex('open_handles') == 0, 'a fresh gateway has no open searches');
  expect_error(@() s.describe(), 'aurorax:badHandle');
  admin('/_testserver/reset', '{}');
  again = aurorax.data_sources();
  check(again.wait(until_it_ends()), 'a search after clear mex works');
end

function non_ascii_text_arrives_intact()
  % A program name and a failure message in UTF-8 from the server (Troms<o-slash>,
  % <u-umlaut>, a CJK character and an emoji outside the BMP): every text the gateway hands
  % back -- data, columns, records, describe, status, logs, error messages -- holds them.
  bytes = uint8([84 114 111 109 115 195 184 45 195 188 45 230 157 177 45 240 159 152 128]);
  word = native2unicode(bytes, 'UTF-8');   % MATLAB: UTF-16 chars; Octave: the bytes
  if ~is_octave()
    check(isequal(double(word), [84 114 111 109 115 248 45 252 45 26481 45 55357 56832]), 'native2unicode: %s', mat2str(double(word)));
  end
  query = [uint8('{"programs": ["') bytes uint8('"]}')];
  s = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T01:00:00', native2unicode(query, 'UTF-8'));
  check(s.wait(until_it_ends()), 'the search');
  check(~isempty(strfind(s.get_data(), word)), 'get_data lacks the name');
  programs = aurorax_mex('column_text', s.handle, '/data_source/program');
  check(~isempty(programs) && all(strcmp(programs, word)), 'the program column: %s', programs{1});
  cols = s.get_data('columns');
  check(all(~cellfun(@isempty, strfind(cols.data_source, word))), 'the data_source column (JSON text)');
  check(~isempty(strfind(s.record(1), word)), 'a record lacks the name');
  check(~isempty(strfind(s.describe(), word)), 'describe lacks the name: %s', s.describe());
  check(~isempty(strfind(s.status(), word)), 'the status document lacks the name');
  message = [uint8('{"outcome": "fail", "count": 1, "message": "Search failed: ') bytes uint8('"}')];
  admin_bytes('/_testserver/searches', message);
  f = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  try
    f.wait(until_it_ends());
    error('test:failed', 'no error');
  catch err
    check(strcmp(err.identifier, 'aurorax:AURORAX_ERR_SEARCH_FAILED'), 'identifier %s', err.identifier);
    check(~isempty(strfind(err.message, word)), 'the error message lacks the text: %s', err.message);
  end
  check(~isempty(strfind(f.error_message(), word)), 'error_message lacks the text: %s', f.error_message());
  check(~isempty(strfind(f.logs(), word)), 'the logs lack the text: %s', f.logs());
end

function utf8_decoder_gives_matlab_utf16()
  % The decoder every text to MATLAB goes through (Octave's chars are the bytes, so its
  % tests call it directly): code units as MATLAB holds them, and U+FFFD for bytes that are
  % not UTF-8 (cut short, overlong, an encoded surrogate, past U+10FFFF, a stray byte).
  u = @(bytes) aurorax_mex('utf8_to_utf16', uint8(bytes));
  check(isequal(u([84 114 111 109 115 195 184 45 230 157 177 45 240 159 152 128]), ...
                [84 114 111 109 115 248 45 26481 45 55357 56832]), 'valid text: %s', mat2str(u([195 184])));
  check(isequal(u([]), zeros(1, 0)), 'empty');
  check(isequal(u([65 195]), [65 65533]), 'cut short: %s', mat2str(u([65 195])));
  check(isequal(u([192 175 66]), [65533 66]), 'overlong: %s', mat2str(u([192 175 66])));
  check(isequal(u([237 160 128]), 65533), 'an encoded surrogate: %s', mat2str(u([237 160 128])));
  check(isequal(u([244 144 128 128]), 65533), 'past U+10FFFF: %s', mat2str(u([244 144 128 128])));
  check(isequal(u([128 67]), [65533 67]), 'a stray continuation byte: %s', mat2str(u([128 67])));
  check(isequal(u([226 130 172]), 8364), 'the euro sign');
  expect_error(@() aurorax_mex('utf8_to_utf16', 'text'), 'aurorax:badArgument');
end

function saved_search_keeps_its_request_id_not_its_handle()
  % What save (and parfor) keep: kind and request id. A loaded copy attaches by its id on
  % first use; kinds without an id, and searches saved before they had one, say so.
  % (MATLAB's save and load call saveobj and loadobj; Octave's do not, so they are called
  % here, with the saved struct through a MAT-file in between.)
  s = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  check(s.wait(until_it_ends()), 'the search');
  saved = s.saveobj();
  check(isstruct(saved) && strcmp(saved.kind, 'ephemeris') && strcmp(saved.request_id, s.request_id()), 'saved: %s', disp_text(saved));
  values = struct2cell(saved);
  check(~any(cellfun(@(v) isa(v, 'uint64'), values)) && ~isfield(saved, 'handle'), 'a handle number was saved: %s', disp_text(saved));
  file = [tempname() '.mat'];
  save('-mat', file, 'saved');
  loaded = load(file);
  delete(file);
  before = aurorax_mex('open_handles');
  t = aurorax.Search.loadobj(loaded.saved);
  check(isa(t, 'aurorax.Search') && isempty(t.handle) && aurorax_mex('open_handles') == before, 'loading attached at once');
  check(t.wait(until_it_ends()) && aurorax_mex('open_handles') == before + 1, 'the loaded copy attached on first use');
  check(strcmp(t.get_data(), s.get_data()) && strcmp(t.request_id(), s.request_id()), 'the loaded copy reads the same request');
  check(t.handle ~= s.handle, 'the copy shares the original''s handle');
  delete(s);
  check(t.record_count() > 0, 'the copy outlives the original');
  % a copy of a copy: the id again
  again = t.saveobj();
  check(strcmp(again.request_id, t.request_id()), 'saving a loaded copy');
  % data sources have no request id to attach to
  ds = aurorax.data_sources();
  check(ds.wait(until_it_ends()), 'data sources');
  u = aurorax.Search.loadobj(ds.saveobj());
  expect_error(@() u.wait(1), 'aurorax:badHandle', 'aurorax.attach');
  % saved before the server gave it an id
  admin('/_testserver/config', '{"latency": {"submit": 2}}');
  early = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  v = aurorax.Search.loadobj(early.saveobj());
  expect_error(@() v.get_data(), 'aurorax:badHandle', 'request id');
  % an id the server does not know: the attach's own failure, naming attach
  w = aurorax.Search.loadobj(struct('kind', 'conjunctions', 'request_id', 'not-an-id', 'request_url', ''));
  expect_error(@() w.wait(1), 'aurorax:AURORAX_ERR_INVALID_ARGUMENT', 'aurorax.attach');
  % a stale number (clear mex) saves no id
  stale = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  clear aurorax_mex;
  stale_saved = stale.saveobj();
  check(isempty(stale_saved.request_id), 'a stale object saved an id');
end

function text = disp_text(value)
  text = strtrim(evalc('disp(value)'));
end

function matlab_code_has_no_octave_only_syntax()
  % The package and these tests run on MATLAB too: none of Octave's extensions outside
  % comments and quoted text (double-quoted literals are string objects in MATLAB,
  % printf/fflush/puts do not exist there, '#' comments and '!=' do not parse).
  here = fileparts(mfilename('fullpath'));
  files = [dir(fullfile(here, '*.m')); dir(fullfile(fileparts(here), '+aurorax', '*.m')); ...
           dir(fullfile(here, 'string_standin', '*.m'))];
  check(numel(files) >= 30, 'only %d files found', numel(files));
  bad = {'"', 'a double-quoted literal'; '(?<![\w.])printf\s*\(', 'printf'; 'fflush', 'fflush'; ...
         '(?<![\w.])puts\s*\(', 'puts'; '(?<![\w.])fdisp\s*\(', 'fdisp'; '#', 'a # comment'; ...
         '!=', '!='; '\+\+|--(?!-)|\+=|-=|\*=', 'an increment operator'; ...
         '\<(endfunction|endif|endfor|endwhile|endswitch|end_try_catch|unwind_protect|endclassdef|endmethods|endproperties)\>', 'an Octave end keyword'};
  problems = {};
  for k = 1:numel(files)
    name = fullfile(files(k).folder, files(k).name);
    lines = strsplit(fileread(name), newline);
    for n = 1:numel(lines)
      code = code_of(lines{n});
      for b = 1:size(bad, 1)
        if ~isempty(regexp(code, bad{b, 1}, 'once'))
          problems{end + 1} = sprintf('%s:%d: %s: %s', files(k).name, n, bad{b, 2}, strtrim(lines{n})); %#ok<AGROW>
        end
      end
    end
  end
  check(isempty(problems), 'Octave-only syntax:%s', sprintf('\n  %s', problems{:}));
end

function code = code_of(line)
  % A line without its comment and with its single-quoted literals emptied. A quote right
  % after a name, a closing bracket, a digit, a dot or another quote is a transpose.
  code = '';
  inside = false;
  k = 1;
  while k <= numel(line)
    ch = line(k);
    if inside
      if ch == ''''
        if k < numel(line) && line(k + 1) == '''', k = k + 2; continue; end
        inside = false;
        code(end + 1) = ch; %#ok<AGROW>
      end
    elseif ch == '%'
      break;
    elseif ch == '''' && (isempty(code) || isempty(regexp(code(end), '[\w)\]}.'']', 'once')))
      inside = true;
      code(end + 1) = ch; %#ok<AGROW>
    else
      code(end + 1) = ch; %#ok<AGROW>
    end
    k = k + 1;
  end
end

function gateway_text_goes_through_the_utf8_decoder()
  % Octave's chars are UTF-8 bytes, so non_ascii_text_arrives_intact passes here even
  % through mxCreateString; on MATLAB before R2022a mxCreateString reads the locale's code
  % page. So the gateway's source is held to it: mxCreateString only of a literal (the
  % gateway's own ASCII), and library text raised as an error only through raise_utf8.
  source = fileread(fullfile(fileparts(fileparts(mfilename('fullpath'))), 'aurorax_mex.c'));
  calls = regexp(source, 'mxCreateString\([^\n]*', 'match');
  literal = regexp(source, 'mxCreateString\("[^"\n]*"\)', 'match');
  check(numel(literal) >= 3, 'only %d mxCreateString calls found', numel(literal));
  bad = calls(cellfun(@isempty, regexp(calls, '^mxCreateString\("[^"]*"\)', 'once')));
  check(isempty(bad), 'mxCreateString of something other than a literal:%s', sprintf('\n  %s', bad{:}));
  raw = regexp(source, 'mexErrMsgIdAndTxt\(\s*id\s*,', 'match');
  check(numel(raw) == 1, '%d calls raise a status''s text without raise_utf8', numel(raw) - 1);
  check(isempty(regexp(source, 'mexErrMsgTxt\(', 'once')), 'mexErrMsgTxt takes locale text');
end

function gateway_get_data_never_waits_for_a_download()
  % aurorax_get_data blocks while a result downloads; the gateway answers NOT_READY at once
  % instead (the package waits first, in slices). Here the server holds the data 3 s.
  admin('/_testserver/faults', '{"route": "data", "fault": "delay", "delay_ms": 3000}');
  s = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T01:00:00', '{"programs": ["swarm"]}');
  for k = 1:200
    p = s.progress();
    if strcmp(p.phase, 'downloading'), break; end
    pause(0.05);
  end
  check(strcmp(p.phase, 'downloading'), 'never downloading: %s', p.phase);
  f = [tempname() '.json'];
  calls = {@() aurorax_mex('get_data', s.handle), @() aurorax_mex('get_data_length', s.handle), ...
           @() aurorax_mex('save_data', s.handle, f, 0)};
  % a call that waited for the download would return the data, not NOT_READY
  for k = 1:numel(calls)
    expect_error(calls{k}, 'aurorax:AURORAX_ERR_NOT_READY', 'wait first');
  end
  s.save_data(f);   % the package waits, then writes
  check(strcmp(fileread(f), s.get_data()), 'save_data after its wait');
  delete(f);
end

function t = until_it_ends()
  % Seconds: the bound of a wait whose end comes from the search itself; it only stops a
  % wait that would otherwise hang, so a busy machine cannot break it.
  t = 300;
end
