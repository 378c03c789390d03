//! The web interface: server-rendered pages, Atom/RSS feeds and the JSON API
