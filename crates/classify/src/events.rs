//! Assessments of the changes that are not edits of a text: a page
//! removed from the site, a URL that now leads elsewhere, a removed page
//! back. Unpublishing is the most newsworthy thing a tracker sees, so a
//! removal always scores as major.
//!
//! | change | significance | summary |
//! | --- | --- | --- |
//! | removed (404/410) | 80 | "Removed from the site (HTTP 404)" |
//! | redirected elsewhere | 70 | "Now redirects to example.org/other" |
//! | back after removal, same text | 40 | "Back on the site, unchanged" |
//! | back with a new text | 40, or the edit's own score if higher | "Back on the site · " and the edit's summary |

use redline_diff::ArticleText;

use crate::{Assessment, Context, Feature, assess};

/// Points of a removal (HTTP 404 or 410).
pub const REMOVED_POINTS: u8 = 80;
/// Points of a redirect to a different page.
pub const REDIRECTED_POINTS: u8 = 70;
/// Points of a removed page coming back.
pub const RESTORED_POINTS: u8 = 40;

fn single(points: u8, feature: String, summary: String) -> Assessment {
    Assessment {
        labels: Vec::new(),
        significance: points,
        features: vec![Feature {
            name: feature,
            points,
        }],
        summary,
        actions: Vec::new(),
        live_posts: Vec::new(),
        signature: 0,
    }
}

/// The page answered `status` (404 or 410).
pub fn removed(status: u16) -> Assessment {
    single(
        REMOVED_POINTS,
        format!("removed from the site (HTTP {status})"),
        format!("Removed from the site (HTTP {status})"),
    )
}

/// The article's URL now leads to `target`, a different page.
pub fn redirected(target: &str) -> Assessment {
    let shown = target
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.");
    let shown: String = if shown.chars().count() > 80 {
        shown.chars().take(79).chain(['…']).collect()
    } else {
        shown.to_string()
    };
    single(
        REDIRECTED_POINTS,
        "redirected to a different page".into(),
        format!("Now redirects to {shown}"),
    )
}

/// A removed page is back: `last` is the last text seen before it went,
/// `now` the text it came back with.
pub fn restored(last: &ArticleText, now: &ArticleText, context: Context) -> Assessment {
    if last == now {
        return single(
            RESTORED_POINTS,
            "back on the site after a removal".into(),
            "Back on the site, unchanged".into(),
        );
    }
    let mut a = assess(last, now, context);
    a.features.insert(
        0,
        Feature {
            name: "back on the site after a removal".into(),
            points: RESTORED_POINTS,
        },
    );
    a.significance = a.significance.max(RESTORED_POINTS);
    a.summary = format!("Back on the site · {}", a.summary);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removals_and_redirects_are_major_and_say_so() {
        let r = removed(410);
        assert_eq!(
            (r.significance, r.summary.as_str(), r.labels.len()),
            (80, "Removed from the site (HTTP 410)", 0)
        );
        let r = redirected("https://www.example.org/news");
        assert_eq!(
            (r.significance, r.summary.as_str()),
            (70, "Now redirects to example.org/news")
        );
    }

    #[test]
    fn a_return_with_the_same_text_says_unchanged() {
        let t = ArticleText::new("T", "", ["Body."]);
        let r = restored(&t, &t, Context::default());
        assert_eq!(
            (r.significance, r.summary.as_str()),
            (40, "Back on the site, unchanged")
        );
        assert!(r.actions.is_empty());
    }
}
