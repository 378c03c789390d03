//! Discovery: finds article URLs in feeds, front pages and news sitemaps, and canonicalises them
