classdef AuroraxSearch < handle
  % An asynchronous AuroraX search, mirroring the seed's Python object:
  %
  %   s = AuroraxSearch.conjunctions(start, end, ground_json, space_json, distance_km);
  %   while ~s.check_for_data(), pause(1); end     % answered from memory
  %   json = s.get_data();                          % JSON text; s.get_data('decode') decodes it
  %
  % Failures are MATLAB errors with identifiers aurorax:AURORAX_ERR_<NAME>.
  % The search is freed when the object is deleted or cleared.

  properties (SetAccess = private)
    handle   % the gateway's search number (uint64); never a pointer
  end

  methods (Static)
    function s = conjunctions(start_ts, end_ts, ground_json, space_json, distance_km)
      s = AuroraxSearch(aurorax_mex('conjunctions_search_async', start_ts, end_ts, ground_json, space_json, distance_km));
    end
    function s = conjunctions_json(query_json)
      s = AuroraxSearch(aurorax_mex('conjunctions_search_async_json', query_json));
    end
    function s = ephemeris(start_ts, end_ts, data_sources_json)
      s = AuroraxSearch(aurorax_mex('ephemeris_search_async', start_ts, end_ts, data_sources_json));
    end
    function s = ephemeris_json(query_json)
      s = AuroraxSearch(aurorax_mex('ephemeris_search_async_json', query_json));
    end
    function s = data_products(start_ts, end_ts, data_sources_json, types_json)
      s = AuroraxSearch(aurorax_mex('data_products_search_async', start_ts, end_ts, data_sources_json, types_json));
    end
    function s = data_products_json(query_json)
      s = AuroraxSearch(aurorax_mex('data_products_search_async_json', query_json));
    end
  end

  methods
    function obj = AuroraxSearch(handle)
      obj.handle = handle;
    end

    function ready = check_for_data(obj)
      % true when the data is in memory; an error if the search failed
      ready = aurorax_mex('check_for_data', obj.handle);
    end

    function done = wait(obj, timeout_seconds)
      % blocks until the data is in memory (true) or the timeout passes (false);
      % no timeout, or <= 0: no limit
      if nargin < 2, timeout_seconds = 0; end
      done = aurorax_mex('wait', obj.handle, timeout_seconds);
    end

    function data = get_data(obj, how)
      % the JSON array of records as text; get_data('decode') returns jsondecode's result
      data = aurorax_mex('get_data', obj.handle);
      if nargin > 1 && strcmp(how, 'decode')
        data = jsondecode(data);
      end
    end

    function cancel(obj)
      aurorax_mex('cancel', obj.handle);
    end

    function id = request_id(obj)
      id = aurorax_mex('request_id', obj.handle);
    end

    function text = logs(obj)
      text = aurorax_mex('get_logs', obj.handle);
    end

    function text = status(obj)
      text = aurorax_mex('get_status', obj.handle);
    end

    function text = error_message(obj)
      text = aurorax_mex('search_error', obj.handle);
    end

    function delete(obj)
      if ~isempty(obj.handle)
        try
          aurorax_mex('free', obj.handle);
        catch
          % already freed: nothing to release
        end
        obj.handle = [];
      end
    end
  end
end
