//! Local AuroraX API server
