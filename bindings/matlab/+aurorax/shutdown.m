function shutdown()
  % aurorax.shutdown()
  % Stops the library's engine: running searches end with aurorax:AURORAX_ERR_CANCELLED;
  % the next search starts it again. clear mex does this too. It takes up to a
  % few seconds (searches whose submit is in flight are given time to be deleted).
  % The engine stops on a thread of the gateway, which this loop waits for in slices, so
  % Ctrl-C interrupts the wait (the shutdown then finishes by itself).
  while ~aurorax_mex('shutdown', 0.2)
    drawnow;
  end
end
