function interrupt_child()
  % Run in a separate Octave by run_tests' ctrl_c_interrupts_a_wait, which has arranged for
  % the next search never to finish and sends this process SIGINT (what Ctrl-C sends) while
  % it waits with no time limit. A wait that is one long blocking call into the MEX file
  % would never return; the sliced wait must stop within a slice and unwind.
  s = aurorax.ephemeris('2019-01-01T00:00:00', '2019-01-01T06:00:00', '{"programs": ["swarm"]}');
  cleanup = onCleanup(@() fprintf('CLEANUP ran\n'));
  fprintf('WAITING\n');
  flush_stdout();
  s.wait();
  fprintf('RETURNED from a wait that should not end\n');
end
