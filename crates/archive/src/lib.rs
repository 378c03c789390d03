//! Raw captures: gzip-compressed WARC/1.1 files of every fetched request and response
