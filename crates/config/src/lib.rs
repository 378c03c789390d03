//! redline's configuration: the TOML schema, its defaults and built-in sources, and validation
