//! A simulated newsroom: a local HTTP server of feeds and articles for tests and benchmarks
