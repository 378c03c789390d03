//! Storage: the Store interface for articles, versions and schedules, and its SQLite backend
