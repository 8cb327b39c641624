function flush_stdout()
  % Octave buffers stdout through a pipe (the test script's tee, a parent reading a child's
  % lines); MATLAB's fprintf does not, and MATLAB has no fflush.
  if exist('OCTAVE_VERSION', 'builtin'), feval('fflush', 1); end
end
