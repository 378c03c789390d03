//! What of an extracted article is a version's text: the one rule shared by
//! a check and a re-extraction, so that the two derive the same text from
//! the same page.

use redline_diff::ArticleText;
use redline_extract::Article;

/// The version text of an extracted article (empty when the page had no
/// body text): its headline, byline and paragraphs, and its social
/// headline (`og:title`) where that says something else than the headline.
pub(crate) fn version_text(article: &Article) -> ArticleText {
    ArticleText::new(
        article.title.as_deref().unwrap_or_default(),
        article.byline.as_deref().unwrap_or_default(),
        &article.paragraphs,
    )
    .with_social_title(article.og_title.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use redline_classify::{Context, Label, assess};
    use redline_diff::{Classification, KnownVersion, classify};

    /// An article page whose `og:title` is `social` (none when None).
    fn page(social: Option<&str>) -> ArticleText {
        let meta = social
            .map(|s| format!("<meta property=\"og:title\" content=\"{s}\">"))
            .unwrap_or_default();
        let html = format!(
            "<html><head><title>Minister resigns after inquiry | The Daily</title>{meta}</head>\
             <body><article><h1>Minister resigns after inquiry</h1>\
             <p>The minister resigned on Monday evening, hours after the inquiry into her \
             expenses published its findings, her office said.</p>\
             <p>Her deputy will take over until a successor is appointed by the prime \
             minister later this week.</p></article></body></html>"
        );
        version_text(&redline_extract::Extractor::new().extract(&html))
    }

    fn kept(number: u32, text: &ArticleText) -> KnownVersion {
        KnownVersion {
            number,
            hash: text.hash(),
            fingerprint: text.fingerprint(),
        }
    }

    #[test]
    fn a_social_headline_tested_against_another_is_a_change_of_its_own() {
        let a = page(Some("Why the minister had to go"));
        let b = page(Some("Minister quits: what happens next"));
        assert_eq!(
            a.social_title.as_deref(),
            Some("Why the minister had to go")
        );
        assert_eq!(
            classify(b.identity(), Some(&kept(0, &a)), &[kept(0, &a)]),
            Classification::Changed { minor: false }
        );
        let change = assess(&a, &b, Context::default());
        assert_eq!(change.labels, [Label::SocialHeadline]);
        assert_eq!(change.summary, "Social headline changed");
    }

    #[test]
    fn a_social_headline_that_is_the_headline_with_or_without_the_site_is_none() {
        let none = page(None);
        for social in [
            "Minister resigns after inquiry",
            "Minister resigns after inquiry | The Daily",
            "The Daily - Minister Resigns After Inquiry",
        ] {
            let text = page(Some(social));
            assert_eq!(text.social_title.as_deref(), Some(""), "{social}");
            assert_eq!(text, none, "{social}");
        }
        // A version stored before social headlines were kept: one
        // appearing is the same version.
        let mut stored = none.clone();
        stored.social_title = None;
        let now = page(Some("Why the minister had to go"));
        assert_eq!(
            classify(now.identity(), Some(&kept(0, &stored)), &[kept(0, &stored)]),
            Classification::Unchanged
        );
    }
}
