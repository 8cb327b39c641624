function set_spool_threshold(bytes)
  % aurorax.set_spool_threshold(bytes)
  % Results larger than this many bytes are written to an unlinked temporary file as they
  % arrive (in the directory AURORAX_SPOOL_DIR names, else the system's) and mapped, not
  % held in memory, for searches created from now on. Default 256 MiB; 0 (or less): always
  % in memory.
  aurorax_mex('set_spool_threshold', bytes);
end
