//! `redline`: the command-line interface.
fn main() {}
