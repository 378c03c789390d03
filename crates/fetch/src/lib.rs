//! Fetching: a polite, bounded HTTP client (robots.txt, per-host limits, retries, size and time caps)
