classdef string
  % A stand-in for MATLAB's string class, for the tests under GNU Octave (Octave 7 has no
  % string class). Only what the gateway and aurorax.as_chars ask of a string: class name
  % 'string', isstring, isscalar, ismissing, char and cellstr. string(NaN) is <missing> and
  % string({'a', 'b'}) an array of two, as in MATLAB. run_tests puts this folder on the path
  % under Octave only: on MATLAB the tests use the real class.
  properties (Access = private)
    texts = {}   % one cell per element; NaN for <missing>
  end
  methods
    function obj = string(x)
      if iscell(x)
        obj.texts = reshape(x, 1, []);
      else
        obj.texts = {x};
      end
    end
    function tf = isstring(obj) %#ok<MANU>
      tf = true;
    end
    function tf = isscalar(obj)
      tf = numel(obj.texts) == 1;
    end
    function tf = ismissing(obj)
      tf = cellfun(@(t) isnumeric(t) && isscalar(t) && isnan(t), obj.texts);
    end
    function c = char(obj)
      if any(ismissing(obj)), error('string:missing', 'char of <missing>'); end
      c = char(obj.texts{:});
    end
    function c = cellstr(obj)
      if any(ismissing(obj)), error('string:missing', 'cellstr of <missing>'); end
      c = obj.texts;
    end
  end
end
