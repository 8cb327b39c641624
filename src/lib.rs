//! libaurorax
