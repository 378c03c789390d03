//! Times as people read them: "about 9 hours", "3 days ago", "4 Mar 2026,
//! 14:02 UTC".

use chrono::{DateTime, Datelike, Utc};

const MINUTES_IN_DAY: i64 = 1440;
const MINUTES_IN_MONTH: i64 = 43_200;
const MINUTES_IN_YEAR: i64 = 525_600;

/// The distance between two times in words, as Rails'
/// `distance_of_time_in_words` (and News Sniffer) say it: "less than a
/// minute", "1 minute", "5 minutes", "about 1 hour", "about 9 hours",
/// "1 day", "12 days", "about 1 month", "about 2 months", "about 1 year",
/// "over 1 year", "almost 2 years". The order of the two does not matter.
pub fn distance_in_words(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let (from, to) = if from <= to { (from, to) } else { (to, from) };
    let seconds = (to - from).num_milliseconds() as f64 / 1000.0;
    let minutes = (seconds / 60.0).round() as i64;
    match minutes {
        0 => "less than a minute".into(),
        1 => "1 minute".into(),
        2..45 => format!("{minutes} minutes"),
        45..90 => "about 1 hour".into(),
        90..1440 => format!("about {} hours", (minutes as f64 / 60.0).round() as i64),
        1440..2520 => "1 day".into(),
        2520..MINUTES_IN_MONTH => {
            format!(
                "{} days",
                (minutes as f64 / MINUTES_IN_DAY as f64).round() as i64
            )
        }
        MINUTES_IN_MONTH..86_400 => "about 1 month".into(),
        86_400..MINUTES_IN_YEAR => format!(
            "about {} months",
            (minutes as f64 / MINUTES_IN_MONTH as f64).round() as i64
        ),
        _ => {
            // Leap days between the two are not counted as time passing, as
            // in Rails.
            let mut from_year = from.year();
            if from.month() >= 3 {
                from_year += 1;
            }
            let mut to_year = to.year();
            if to.month() < 3 {
                to_year -= 1;
            }
            let leap_days = if from_year > to_year {
                0
            } else {
                (from_year..=to_year).filter(|&y| is_leap(y)).count() as i64
            };
            let minutes = minutes - leap_days * MINUTES_IN_DAY;
            let years = minutes / MINUTES_IN_YEAR;
            let remainder = minutes % MINUTES_IN_YEAR;
            if remainder < MINUTES_IN_YEAR / 4 {
                plural("about", years, "year")
            } else if remainder < MINUTES_IN_YEAR * 3 / 4 {
                plural("over", years, "year")
            } else {
                plural("almost", years + 1, "year")
            }
        }
    }
}

fn plural(prefix: &str, n: i64, unit: &str) -> String {
    if n == 1 {
        format!("{prefix} 1 {unit}")
    } else {
        format!("{prefix} {n} {unit}s")
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// "about 9 hours later" (or "earlier" when `to` comes first).
pub fn later(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let words = distance_in_words(from, to);
    if to >= from {
        format!("{words} later")
    } else {
        format!("{words} earlier")
    }
}

/// "3 hours ago", or "in about 2 hours" for a time to come.
pub fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let words = distance_in_words(t, now);
    if t <= now {
        format!("{words} ago")
    } else {
        format!("in {words}")
    }
}

/// "4 Mar 2026, 14:02 UTC".
pub fn absolute(t: DateTime<Utc>) -> String {
    t.format("%-d %b %Y, %H:%M UTC").to_string()
}

/// "4 Mar 2026, 14:02:37 UTC": to the second, for a version's own page
/// where the exact moment of a capture matters.
pub fn exact(t: DateTime<Utc>) -> String {
    t.format("%-d %b %Y, %H:%M:%S UTC").to_string()
}

/// "4 March 2026".
pub fn date(t: DateTime<Utc>) -> String {
    t.format("%-d %B %Y").to_string()
}

/// The machine-readable form for `<time datetime>` and JSON: RFC 3339.
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn words(seconds: i64) -> String {
        let from = Utc.with_ymd_and_hms(2026, 1, 10, 12, 0, 0).unwrap();
        distance_in_words(from, from + Duration::seconds(seconds))
    }

    #[test]
    fn minutes_and_hours() {
        assert_eq!(words(0), "less than a minute");
        assert_eq!(words(29), "less than a minute");
        assert_eq!(words(30), "1 minute");
        assert_eq!(words(89), "1 minute");
        assert_eq!(words(90), "2 minutes");
        assert_eq!(words(44 * 60 + 29), "44 minutes");
        assert_eq!(words(45 * 60), "about 1 hour");
        assert_eq!(words(89 * 60), "about 1 hour");
        assert_eq!(words(90 * 60), "about 2 hours");
        assert_eq!(words(9 * 3600 + 10 * 60), "about 9 hours");
        assert_eq!(words(23 * 3600 + 59 * 60), "about 24 hours");
    }

    #[test]
    fn days_months_years() {
        let day = 86_400;
        assert_eq!(words(day), "1 day");
        assert_eq!(words(day + 17 * 3600), "1 day");
        assert_eq!(words(2 * day), "2 days");
        assert_eq!(words(29 * day), "29 days");
        assert_eq!(words(30 * day), "about 1 month");
        assert_eq!(words(59 * day), "about 1 month");
        assert_eq!(words(60 * day), "about 2 months");
        assert_eq!(words(300 * day), "about 10 months");
        assert_eq!(words(366 * day), "about 1 year");
        assert_eq!(words(365 * day + 200 * day), "over 1 year");
        assert_eq!(words(365 * day + 320 * day), "almost 2 years");
        assert_eq!(words(3 * 365 * day + 10 * day), "about 3 years");
    }

    #[test]
    fn order_and_direction() {
        let a = Utc.with_ymd_and_hms(2026, 1, 10, 12, 0, 0).unwrap();
        let b = a + Duration::hours(9);
        assert_eq!(distance_in_words(b, a), "about 9 hours");
        assert_eq!(later(a, b), "about 9 hours later");
        assert_eq!(later(b, a), "about 9 hours earlier");
        assert_eq!(relative(a, b), "about 9 hours ago");
        assert_eq!(relative(b, a), "in about 9 hours");
    }

    #[test]
    fn formats() {
        let t = Utc.with_ymd_and_hms(2026, 3, 4, 14, 2, 9).unwrap();
        assert_eq!(absolute(t), "4 Mar 2026, 14:02 UTC");
        assert_eq!(date(t), "4 March 2026");
        assert_eq!(iso(t), "2026-03-04T14:02:09Z");
    }
}
