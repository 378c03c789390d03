//! Versions and diffs: canonical article text, change classification and paragraph/word diffs
