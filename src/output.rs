//! Plain-text output: standard output that may be closed early, colour,
//! aligned tables and times for the terminal.

use std::fmt;
use std::io::{self, IsTerminal, Write};

use chrono::{DateTime, Utc};

/// Standard output was closed before everything was written (`redline …
/// | head`): the command stops there, quietly and successfully.
#[derive(Debug)]
pub struct StdoutClosed;

impl fmt::Display for StdoutClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("standard output was closed")
    }
}

impl std::error::Error for StdoutClosed {}

/// Writes `s` to standard output. A closed pipe is [`StdoutClosed`], which
/// `main` turns into a quiet exit; every other failure is an error.
pub fn print_out(s: &str) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(StdoutClosed.into()),
        Err(e) => Err(anyhow::Error::new(e).context("cannot write to standard output")),
    }
}

/// `print!` through [`print_out`]; returns from the function on failure.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::print_out(&format!($($arg)*))?
    };
}

/// `println!` through [`print_out`]; returns from the function on failure.
macro_rules! outln {
    () => {
        $crate::output::print_out("\n")?
    };
    ($($arg:tt)*) => {{
        let mut line = format!($($arg)*);
        line.push('\n');
        $crate::output::print_out(&line)?
    }};
}

pub(crate) use {out, outln};

/// Writes to standard error, ignoring failure (there is nowhere left to
/// report it).
pub fn note(s: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{s}");
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

/// ANSI colours, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paint {
    on: bool,
}

impl Paint {
    #[cfg(test)]
    pub const OFF: Paint = Paint { on: false };
    #[cfg(test)]
    pub const ON: Paint = Paint { on: true };

    /// Colour for standard output under `choice`; `auto` colours a
    /// terminal unless NO_COLOR is set to anything but the empty string.
    pub fn for_stdout(choice: ColorChoice) -> Paint {
        let on = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && io::stdout().is_terminal()
            }
        };
        Paint { on }
    }

    fn wrap(self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub fn removed(self, s: &str) -> String {
        self.wrap("31", s)
    }

    pub fn added(self, s: &str) -> String {
        self.wrap("32", s)
    }

    pub fn moved(self, s: &str) -> String {
        self.wrap("36", s)
    }

    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }

    pub fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }
}

/// `s` with control characters (escape sequences a page could carry to
/// the terminal) shown as U+FFFD; newlines and tabs are kept.
pub fn clean(s: &str) -> String {
    if !s.chars().any(is_unsafe) {
        return s.to_string();
    }
    s.chars()
        .map(|c| if is_unsafe(c) { '\u{fffd}' } else { c })
        .collect()
}

fn is_unsafe(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// "once", "twice", "3 times".
pub fn times(n: u32) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

/// A table printed with columns padded to their widest cell.
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Table {
            rows: vec![header.iter().map(|h| h.to_string()).collect()],
        }
    }

    /// A row; control characters in the cells are made harmless.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.iter().map(|c| clean(c).replace('\t', " ")).collect());
    }

    pub fn render(&self) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                if c + 1 == row.len() {
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    let pad = widths[c] - cell.chars().count() + 2;
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// "2026-11-21 09:38 UTC".
pub fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

pub fn opt_time(t: Option<DateTime<Utc>>) -> String {
    t.map(time).unwrap_or_else(|| "-".into())
}

/// "in 12m", "3h ago", "now".
pub fn relative(t: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    let Some(t) = t else { return "-".into() };
    let seconds = (t - now).num_seconds();
    let span = short_duration(seconds.unsigned_abs());
    match seconds {
        -59..=59 => "now".into(),
        s if s > 0 => format!("in {span}"),
        _ => format!("{span} ago"),
    }
}

fn short_duration(seconds: u64) -> String {
    match seconds {
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        s => format!("{}d{}h", s / 86_400, s % 86_400 / 3600),
    }
}

/// Cuts `s` to `max` characters with an ellipsis.
pub fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut cut: String = s.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn tables_align_columns() {
        let mut t = Table::new(&["a", "bb"]);
        t.row(vec!["long".into(), "x".into()]);
        assert_eq!(t.render(), "a     bb\nlong  x\n");
    }

    #[test]
    fn relative_times_read_naturally() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        assert_eq!(
            relative(Some(now + chrono::Duration::minutes(12)), now),
            "in 12m"
        );
        assert_eq!(
            relative(Some(now - chrono::Duration::hours(3)), now),
            "3h00m ago"
        );
        assert_eq!(relative(Some(now), now), "now");
        assert_eq!(relative(None, now), "-");
        assert_eq!(cut("abcdef", 4), "abc…");
    }

    #[test]
    fn counts_and_control_characters_read_safely() {
        assert_eq!(times(1), "once");
        assert_eq!(times(2), "twice");
        assert_eq!(times(3), "3 times");
        assert_eq!(clean("a\x1b[2Jb\tc\u{9b}d"), "a\u{fffd}[2Jb\tc\u{fffd}d");
        assert_eq!(Paint::ON.added("x"), "\x1b[32mx\x1b[0m");
        assert_eq!(Paint::OFF.added("x"), "x");
    }
}
