classdef Search < handle
  % An asynchronous AuroraX search. Create one with aurorax.conjunctions, aurorax.ephemeris,
  % aurorax.data_products (or their _json forms), aurorax.attach, aurorax.data_sources or
  % aurorax.ephemeris_availability / aurorax.data_products_availability.
  %
  %   s = aurorax.conjunctions(start, end, ground_json, space_json, distance_km);
  %   s.wait(600, 'Progress', true);      % Ctrl-C works; false if 600 s pass first
  %   T = s.get_data('columns');           % one column per field, NaN for null numbers
  %   E = s.get_data('events');            % conjunctions: one row per event
  %
  % Failures are MATLAB errors whose identifier names the status, e.g.
  % aurorax:AURORAX_ERR_SEARCH_FAILED. The search is freed when the object is deleted or
  % cleared (it is not cancelled on the server: call cancel for that).
  %
  % save/load and parfor: the object is saved as its kind and request id, never as the
  % gateway's number (which means nothing in another MATLAB, or after clear mex). A loaded
  % copy attaches to the request by its id (as aurorax.attach does) the first time it is
  % used, in the MATLAB that uses it: a parfor worker follows the request itself. The data
  % is not saved with it (s.save_data does that); the server keeps results for a while. A
  % search that has no request id yet, or a data-source or availability request (they have
  % none), cannot be attached again: its loaded copy is an aurorax:badHandle error saying
  % so. (Octave's save/load call neither saveobj nor loadobj: an object saved from Octave
  % loads as a plain struct.)

  properties (SetAccess = private)
    handle   % the gateway's search number (uint64); never a pointer
    kind     % 'conjunctions', 'ephemeris', 'data_products', 'data_sources',
             % 'ephemeris_availability' or 'data_products_availability'
  end

  properties (Access = private)
    started  % tic when the object was made, for the progress lines' elapsed time
    pending_request_id = ''  % a loaded copy's request id, attached on first use
    load_problem = ''        % why a loaded copy cannot be attached ('' when it can)
  end

  methods
    function obj = Search(handle, kind)
      % Used by the package's constructors; takes ownership of a gateway handle.
      obj.handle = handle;
      obj.kind = kind;
      obj.started = tic;
    end

    function ready = check_for_data(obj)
      % true when the data is in memory; answered from memory. An error if the search failed.
      ready = aurorax_mex('check_for_data', obj.gateway_handle());
    end

    function done = wait(obj, timeout_seconds, varargin)
      % done = s.wait(timeout_seconds, options...)
      % Waits until the data is in memory (true) or timeout_seconds pass (false; the search
      % goes on). No timeout, [] or <= 0: no limit. A failed or cancelled search is an error.
      % The wait is a loop of short slices in M-code, so Ctrl-C interrupts it and drawnow
      % runs between slices (figures and callbacks stay alive). Options (name, value):
      %   'Progress', true      print phase, elapsed time and MB received of expected
      %   'ProgressEvery', 2    seconds between progress lines (default 2)
      %   'Slice', 0.2          seconds per slice, 0 < Slice <= 1 (default 0.2)
      %   'OnSlice', @(p) ...   called after every slice with s.progress()'s struct
      if nargin < 2 || isempty(timeout_seconds), timeout_seconds = 0; end
      if ~(isnumeric(timeout_seconds) && isscalar(timeout_seconds) && isreal(timeout_seconds) && ~isnan(timeout_seconds))
        error('aurorax:badArgument', 'wait: timeout_seconds must be a real number (<= 0: no limit)');
      end
      opts = aurorax.Search.wait_options(varargin);
      deadline = inf;
      if timeout_seconds > 0, deadline = timeout_seconds; end
      t0 = tic;
      last_print = -inf;
      done = false;
      while true
        remaining = deadline - toc(t0);
        if remaining <= 0, break; end
        try
          done = aurorax_mex('wait', obj.gateway_handle(), min(opts.Slice, remaining));
        catch err
          if opts.Progress, obj.print_progress(); end   % the final phase names the failure
          rethrow(err);
        end
        if done || opts.Progress || ~isempty(opts.OnSlice)
          if opts.Progress && (done || toc(t0) - last_print >= opts.ProgressEvery)
            obj.print_progress();
            last_print = toc(t0);
          end
          if ~isempty(opts.OnSlice), opts.OnSlice(obj.progress()); end
        end
        if done, break; end
        drawnow;   % lets figures and callbacks run, and MATLAB see Ctrl-C
      end
    end

    function p = progress(obj)
      % A struct: phase ('submitting', 'running', 'downloading', 'ready', or the failure's
      % status name), phase_code, bytes_received, bytes_expected (NaN while unknown),
      % elapsed (seconds since the object was made) and request_id.
      p = aurorax_mex('progress', obj.gateway_handle());
      p.elapsed = toc(obj.started);
      p.request_id = aurorax_mex('request_id', obj.gateway_handle());
    end

    function data = get_data(obj, how, varargin)
      % The records. How:
      %   'text' (default)  the JSON array as text
      %   'decode'          jsondecode's result (its shape depends on the records)
      %   'records'         an N-by-1 cell array of each record's JSON text
      %   'columns'         a scalar struct with one N-by-1 column per field of the kind
      %                     (aurorax.column_spec lists them), read by the library straight
      %                     from the records, never by decoding the whole result: always the
      %                     same fields and classes (also for 0 records); numbers are double
      %                     with NaN for null or missing, text is a cellstr with '' for null,
      %                     nested values (data_sources, events, metadata, availability
      %                     lists) are each record's JSON text in a cellstr. The records'
      %                     key "end" is the column end_time (MATLAB refuses "end").
      %                     get_data('columns', 'decode_nested', true) jsondecodes the
      %                     nested values, record by record ([] where null or missing).
      %   'table'           (MATLAB) struct2table of 'columns' (same options)
      %   'events'          conjunctions: every record's events as one long struct of
      %                     E-by-1 columns, one row per event: record (its record's index,
      %                     from 1), event (its index in the record, from 1),
      %                     conjunction_type, start, end_time, min_distance, max_distance,
      %                     e1_source_identifier, e1_source_program, e1_source_platform,
      %                     e1_source_instrument_type, e1_source_source_type,
      %                     e1_source_display_name and the same for e2_source
      %   'events_table'    (MATLAB) struct2table of 'events'
      % Waits first (interruptibly, no limit) if the data is not in memory yet; a form or
      % option it does not know is refused before that.
      if nargin < 2, how = 'text'; end
      how = aurorax.as_chars(how, 'get_data: the form');
      if ~ischar(how) || size(how, 1) > 1
        error('aurorax:badArgument', 'get_data: the form must be text (text, decode, records, columns, table, events or events_table)');
      end
      forms = {'text', 'decode', 'records', 'columns', 'table', 'events', 'events_table'};
      if ~any(strcmp(how, forms))
        error('aurorax:badArgument', 'get_data: unknown form ''%s'' (text, decode, records, columns, table, events or events_table)', how);
      end
      decode_nested = aurorax.Search.column_options(how, varargin);
      if any(strcmp(how, {'events', 'events_table'})) && ~strcmp(obj.kind, 'conjunctions')
        error('aurorax:badArgument', 'get_data(''%s''): only a conjunction result has events (this is %s)', how, obj.kind);
      end
      if any(strcmp(how, {'table', 'events_table'})) && exist('struct2table') ~= 2 && exist('struct2table') ~= 5 %#ok<EXIST>
        error('aurorax:noTable', 'this MATLAB or Octave has no table type; use get_data(''%s'')', strrep(how, 'table', 'columns'));
      end
      if ~aurorax_mex('check_for_data', obj.gateway_handle()), obj.wait(); end
      switch how
        case 'text'
          data = aurorax_mex('get_data', obj.gateway_handle());
        case 'decode'
          data = jsondecode(aurorax_mex('get_data', obj.gateway_handle()));
        case 'records'
          data = aurorax_mex('get_records', obj.gateway_handle());
        case 'columns'
          data = obj.columns(decode_nested);
        case 'table'
          data = struct2table(obj.columns(decode_nested));
        case 'events'
          data = aurorax_mex('events', obj.gateway_handle());
        case 'events_table'
          data = struct2table(aurorax_mex('events', obj.gateway_handle()));
      end
    end

    function n = record_count(obj)
      % The number of records (an error before the data is in: aurorax:AURORAX_ERR_NOT_READY).
      n = aurorax_mex('get_record_count', obj.gateway_handle());
    end

    function text = record(obj, i)
      % The i-th record's JSON text (i from 1).
      text = aurorax_mex('get_record', obj.gateway_handle(), i - 1);
    end

    function text = describe(obj)
      % The server's plain-language description of the query. The first call asks the
      % server (up to the request timeout; later calls answer from memory). The request
      % runs on a thread of the gateway and this waits for it in slices, so Ctrl-C
      % interrupts it and drawnow runs; a call after an interrupted one waits for the same
      % request.
      h = obj.gateway_handle();
      while true
        [text, done] = aurorax_mex('describe', h, 0.2);
        if done, return; end
        drawnow;
      end
    end

    function save_data(obj, path, format)
      % s.save_data(path) writes the result to the file path as the JSON array of records;
      % s.save_data(path, 'ndjson') writes one record per line. Written under a temporary
      % name and renamed when complete: path never holds a partial result. Waits first
      % (interruptibly, no limit) if the data is not in memory yet.
      if nargin < 3, format = 'json'; end
      format = aurorax.as_chars(format, 'format');
      path = aurorax.as_chars(path, 'path');
      switch lower(char(format))
        case 'json', code = 0;
        case 'ndjson', code = 1;
        otherwise, code = -1;  % the library refuses it: aurorax:AURORAX_ERR_INVALID_ARGUMENT
      end
      if ~aurorax_mex('check_for_data', obj.gateway_handle()), obj.wait(); end
      aurorax_mex('save_data', obj.gateway_handle(), path, code);
    end

    function cancel(obj)
      % Stops the search and cancels it on the server if it is still running there.
      aurorax_mex('cancel', obj.gateway_handle());
    end

    function id = request_id(obj)
      % The server's request id ('' before submission); aurorax.attach takes it.
      id = aurorax_mex('request_id', obj.gateway_handle());
    end

    function url = request_url(obj)
      url = aurorax_mex('request_url', obj.gateway_handle());
    end

    function text = logs(obj)
      % The request's log entries as JSON text.
      text = aurorax_mex('get_logs', obj.gateway_handle());
    end

    function text = status(obj)
      % The latest status document from the API as JSON text.
      text = aurorax_mex('get_status', obj.gateway_handle());
    end

    function text = error_message(obj)
      % Why the search failed or was cancelled; '' while it has not.
      text = aurorax_mex('search_error', obj.gateway_handle());
    end

    function delete(obj)
      obj.pending_request_id = '';
      obj.load_problem = 'it has been deleted';
      if ~isempty(obj.handle)
        try
          aurorax_mex('free', obj.handle);
        catch
          % already released (clear mex frees every search): nothing left to free
        end
        obj.handle = [];
      end
    end
  end

  methods (Hidden)
    function h = gateway_handle(obj)
      % The gateway's number for this search; a loaded copy attaches to its request here,
      % the first time it is used (see the class help).
      if isempty(obj.handle) && ~isempty(obj.pending_request_id)
        id = obj.pending_request_id;
        try
          obj.handle = aurorax_mex([obj.kind '_search_attach'], id);
        catch err
          error(err.identifier, 'attaching the loaded %s search %s again (aurorax.attach) failed: %s', obj.kind, id, err.message);
        end
        obj.pending_request_id = '';
      elseif isempty(obj.handle) && ~isempty(obj.load_problem)
        error('aurorax:badHandle', 'this aurorax.Search cannot be used: %s', obj.load_problem);
      end
      h = obj.handle;
    end

    function saved = saveobj(obj)
      % What save and parfor keep of a search: its kind and request id (and URL), never
      % the gateway's number. loadobj attaches the copy by its id when it is first used.
      id = obj.pending_request_id;
      url = '';
      if ~isempty(obj.handle)
        try
          id = aurorax_mex('request_id', obj.handle);
          url = aurorax_mex('request_url', obj.handle);
        catch
          id = '';   % a stale number (clear mex): nothing to attach to
        end
      end
      saved = struct('kind', obj.kind, 'request_id', id, 'request_url', url);
    end
  end

  methods (Static, Hidden)
    function obj = loadobj(saved)
      % A loaded (or parfor-sent) search: not attached yet; gateway_handle attaches it.
      obj = aurorax.Search([], saved.kind);
      id = '';
      if isfield(saved, 'request_id'), id = saved.request_id; end
      if ~any(strcmp(saved.kind, {'conjunctions', 'ephemeris', 'data_products'}))
        obj.load_problem = sprintf(['it was loaded from a file or sent to a parallel worker, and a %s ' ...
          'request cannot be attached again (aurorax.attach takes conjunctions, ephemeris and ' ...
          'data_products): run it again'], saved.kind);
      elseif isempty(id)
        obj.load_problem = ['it was loaded from a file or sent to a parallel worker, and it ' ...
          'was saved before the server gave it a request id: there is nothing for aurorax.attach ' ...
          'to follow; run it again'];
      else
        obj.pending_request_id = id;
      end
    end
  end

  methods (Access = private)
    function cols = columns(obj, decode_nested)
      % One gateway call per column of aurorax.column_spec(kind).
      spec = aurorax.column_spec(obj.kind);
      cols = struct();
      for k = 1:size(spec, 1)
        [name, pointer, type] = spec{k, :};
        switch type
          case 'number'
            cols.(name) = aurorax_mex('column_f64', obj.gateway_handle(), pointer);
          case 'text'
            cols.(name) = aurorax_mex('column_text', obj.gateway_handle(), pointer);
          otherwise
            col = aurorax_mex('column_json', obj.gateway_handle(), pointer);
            if decode_nested, col = cellfun(@aurorax.Search.decode_value, col, 'UniformOutput', false); end
            cols.(name) = col;
        end
      end
    end

    function print_progress(obj)
      try
        p = obj.progress();
      catch
        return;   % a progress line must never turn a result into an error
      end
      id = p.request_id;
      if numel(id) > 8, id = id(1:8); end
      if isempty(id), id = '(not submitted)'; end
      if p.bytes_received > 0 || p.phase_code >= 2
        if isnan(p.bytes_expected)
          bytes = sprintf(', %.1f MB received', p.bytes_received / 1e6);
        else
          bytes = sprintf(', %.1f of %.1f MB', p.bytes_received / 1e6, p.bytes_expected / 1e6);
        end
      else
        bytes = '';
      end
      fprintf('aurorax %s %s: %s, %.1f s%s\n', obj.kind, id, p.phase, p.elapsed, bytes);
    end
  end

  methods (Static, Hidden)
    function v = decode_value(text)
      % A nested column's JSON text decoded; [] for '' (missing).
      if isempty(text), v = []; else, v = jsondecode(text); end
    end
  end

  methods (Static, Access = private)
    function decode_nested = column_options(how, args)
      decode_nested = false;
      if isempty(args), return; end
      if ~any(strcmp(how, {'columns', 'table'}))
        error('aurorax:badArgument', 'get_data(''%s'') takes no options', how);
      end
      if mod(numel(args), 2)
        error('aurorax:badArgument', 'get_data: options come in name, value pairs');
      end
      for k = 1:2:numel(args)
        name = aurorax.as_chars(args{k}, 'an option name');
        if ~ischar(name) || ~strcmpi(name, 'decode_nested')
          error('aurorax:badArgument', 'get_data: unknown option (decode_nested is the only one)');
        end
        value = args{k + 1};
        if ~((islogical(value) || isnumeric(value)) && isscalar(value))
          error('aurorax:badArgument', 'get_data: decode_nested must be true or false');
        end
        decode_nested = logical(value);
      end
    end

    function opts = wait_options(args)
      opts = struct('Progress', false, 'ProgressEvery', 2, 'Slice', 0.2, 'OnSlice', []);
      if mod(numel(args), 2)
        error('aurorax:badArgument', 'wait: options come in name, value pairs');
      end
      for k = 1:2:numel(args)
        name = aurorax.as_chars(args{k}, 'an option name');
        value = args{k + 1};
        if ~ischar(name), name = '?'; end
        switch lower(name)
          case 'progress', opts.Progress = logical(value);
          case 'progressevery', opts.ProgressEvery = value;
          case 'slice'
            if ~(isnumeric(value) && isscalar(value) && value > 0 && value <= 1)
              error('aurorax:badArgument', 'wait: Slice must be in (0, 1] seconds');
            end
            opts.Slice = value;
          case 'onslice', opts.OnSlice = value;
          otherwise
            error('aurorax:badArgument', 'wait: unknown option ''%s''', name);
        end
      end
    end
  end
end
