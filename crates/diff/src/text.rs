//! The canonical text of a version: title, byline, social headline and body
//! paragraphs, normalised so that invisible differences (runs of whitespace, zero-width
//! characters, soft hyphens, control characters) never make a new version.

use std::fmt;

/// A 128-bit digest of a text (BLAKE3, truncated).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextHash(pub [u8; 16]);

impl TextHash {
    fn of(hasher: blake3::Hasher) -> Self {
        let mut out = [0u8; 16];
        out.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
        TextHash(out)
    }

    /// Reads a hash back from its bytes, as stored.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(TextHash)
    }
}

impl fmt::Debug for TextHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in &self.0[..6] {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// The text of one version of an article.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArticleText {
    pub title: String,
    pub byline: String,
    /// The social headline (`og:title`) where it says something else than
    /// the displayed `title`: `Some("")` when it does not (or the page has
    /// none); None when it was not recorded (a version stored before
    /// redline kept social headlines). Part of the version's identity when
    /// non-empty, so outlets A/B-testing their social headline make
    /// versions; see [`ArticleText::identity`] for its appearing.
    pub social_title: Option<String>,
    /// Non-empty, normalised paragraphs in reading order.
    pub paragraphs: Vec<String>,
}

/// What a new text is compared by against the versions kept: its
/// [`ArticleText::hash`] and [`ArticleText::fingerprint`], and the hash it
/// has without its social headline (`bare`). A kept version whose hash is
/// the bare one had no social headline: the new text is that version with
/// a social headline appearing, which is not an edit (a version stored
/// before social headlines were kept, or a template that started writing
/// `og:title`), so it counts as that version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    pub hash: TextHash,
    pub fingerprint: TextHash,
    pub bare: TextHash,
}

impl Identity {
    /// Whether a kept version with this `hash` is the same text.
    pub fn is(&self, hash: TextHash) -> bool {
        hash == self.hash || hash == self.bare
    }
}

// Separators for hashing; normalisation removes control characters from the
// text, so these cannot occur inside a field.
const FIELD_SEPARATOR: &[u8] = b"\x1e";
const PARAGRAPH_SEPARATOR: &[u8] = b"\x1f";
/// Marks the social headline in a hash, after the paragraphs.
const SOCIAL_MARK: &[u8] = b"\x1dsocial";

/// What separates a headline from the site's name in a social headline.
const SOCIAL_SEPARATORS: &[&str] = &[" | ", " - ", " — ", " – ", ": ", " :: ", " · "];

/// Letters and digits, lower-cased: what two headlines are compared by.
fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl ArticleText {
    /// Builds a text from extracted parts, normalising each and dropping
    /// paragraphs that are empty once normalised.
    pub fn new<P: AsRef<str>>(
        title: &str,
        byline: &str,
        paragraphs: impl IntoIterator<Item = P>,
    ) -> Self {
        ArticleText {
            title: normalize(title),
            byline: normalize(byline),
            social_title: None,
            paragraphs: paragraphs
                .into_iter()
                .map(|p| normalize(p.as_ref()))
                .filter(|p| !p.is_empty())
                .collect(),
        }
    }

    /// This text with its social headline recorded: normalised, and empty
    /// when it is the title again (compared by letters and digits, any
    /// case) or the title with the site's name beside it ("Title | Site",
    /// "Site: Title"), so that a template writing the site's name into
    /// `og:title` or not makes no difference.
    pub fn with_social_title(mut self, social: Option<&str>) -> Self {
        let social = normalize(social.unwrap_or_default());
        let title = key(&self.title);
        let same = key(&social) == title
            || SOCIAL_SEPARATORS
                .iter()
                .any(|sep| social.split(sep).any(|part| key(part) == title));
        self.social_title = Some(if same { String::new() } else { social });
        self
    }

    /// Rebuilds a text from its stored form (see [`ArticleText::body`]);
    /// `social_title` as stored (None: not recorded).
    pub fn from_stored(title: &str, byline: &str, social_title: Option<&str>, body: &str) -> Self {
        let mut text = Self::new(title, byline, body.split('\n'));
        text.social_title = social_title.map(normalize);
        text
    }

    /// The social headline when there is one that differs from the title.
    pub fn social(&self) -> Option<&str> {
        self.social_title.as_deref().filter(|s| !s.is_empty())
    }

    /// The hashes a new text is compared by (see [`Identity`]).
    pub fn identity(&self) -> Identity {
        let hash = self.hash();
        // Without a social headline the bare hash is the hash: no second
        // pass over the text on every check.
        let bare = match self.social() {
            Some(_) => self.hash_with(None),
            None => hash,
        };
        Identity {
            hash,
            fingerprint: self.fingerprint(),
            bare,
        }
    }

    /// The body as stored: paragraphs separated by one newline.
    pub fn body(&self) -> String {
        self.paragraphs.join("\n")
    }

    /// True when there is no body text at all.
    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }

    /// Identity of the exact text: equal hashes mean the same version. A
    /// text without a social headline hashes as it did before social
    /// headlines were kept.
    pub fn hash(&self) -> TextHash {
        self.hash_with(self.social())
    }

    fn hash_with(&self, social: Option<&str>) -> TextHash {
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.title.as_bytes());
        hasher.update(FIELD_SEPARATOR);
        hasher.update(self.byline.as_bytes());
        hasher.update(FIELD_SEPARATOR);
        for p in &self.paragraphs {
            hasher.update(p.as_bytes());
            hasher.update(PARAGRAPH_SEPARATOR);
        }
        if let Some(social) = social {
            hasher.update(FIELD_SEPARATOR);
            hasher.update(SOCIAL_MARK);
            hasher.update(social.as_bytes());
        }
        TextHash::of(hasher)
    }

    /// Identity of the words alone: letters and digits, ignoring whitespace,
    /// punctuation and paragraph breaks. Two texts with equal fingerprints
    /// but different hashes differ only in whitespace or punctuation (a
    /// "minor" change). Case is kept: a changed capital is not minor.
    pub fn fingerprint(&self) -> TextHash {
        // The letters and digits of each part gathered first, then hashed
        // in one go: the same bytes in the same order as feeding them one
        // character at a time (what stored fingerprints were made with),
        // without a hasher call per character.
        let mut hasher = blake3::Hasher::new();
        let mut words = String::new();
        let mut feed = |hasher: &mut blake3::Hasher, text: &str| {
            words.clear();
            words.extend(text.chars().filter(|c| c.is_alphanumeric()));
            hasher.update(words.as_bytes());
        };
        feed(&mut hasher, &self.title);
        hasher.update(FIELD_SEPARATOR);
        feed(&mut hasher, &self.byline);
        hasher.update(FIELD_SEPARATOR);
        for p in &self.paragraphs {
            feed(&mut hasher, p);
        }
        if let Some(social) = self.social() {
            hasher.update(FIELD_SEPARATOR);
            hasher.update(SOCIAL_MARK);
            feed(&mut hasher, social);
        }
        TextHash::of(hasher)
    }

    /// What two extractions of the same page have in common: the
    /// paragraphs both contain, in order (a longest common subsequence).
    /// Title and byline are this text's. Used to drop paragraphs that change
    /// from one request to the next — boilerplate the extractor let
    /// through — before a text is taken for a new version. Bounded by
    /// [`crate::DIFF_TIME_LIMIT`]: past it the result is still a common
    /// subsequence, just not always the longest.
    pub fn common_with(&self, other: &ArticleText) -> ArticleText {
        use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};
        let mut paragraphs = Vec::new();
        let ops = capture_diff_slices_deadline(
            Algorithm::Myers,
            &self.paragraphs,
            &other.paragraphs,
            crate::deadline(),
        );
        for op in ops {
            let (tag, range, _) = op.as_tag_tuple();
            if tag == DiffTag::Equal {
                paragraphs.extend_from_slice(&self.paragraphs[range]);
            }
        }
        ArticleText {
            title: self.title.clone(),
            byline: self.byline.clone(),
            social_title: self.social_title.clone(),
            paragraphs,
        }
    }

    /// Words in the title, byline and body.
    pub fn word_count(&self) -> usize {
        std::iter::once(&self.title)
            .chain(std::iter::once(&self.byline))
            .chain(&self.paragraphs)
            .map(|s| count_words(s))
            .sum()
    }
}

/// Counts runs of letters and digits.
pub fn count_words(s: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in s.chars() {
        let word = c.is_alphanumeric();
        if word && !in_word {
            count += 1;
        }
        in_word = word;
    }
    count
}

/// Collapses whitespace (including no-break spaces) to single spaces, trims,
/// and removes characters that are invisible on the page: zero-width spaces
/// and joiners, word joiners, byte-order marks, soft hyphens and control
/// characters.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_hides_invisible_differences() {
        let a = ArticleText::new("Title", "By A", ["One  two\u{a0}three", "  ", "Four"]);
        let b = ArticleText::new(
            " Title\n",
            "By\u{200b} A",
            ["One two three\u{00ad}", "Four\u{feff}"],
        );
        assert_eq!(a, b);
        assert_eq!(a.hash(), b.hash());
        assert_eq!(a.paragraphs, ["One two three", "Four"]);
    }

    #[test]
    fn the_hash_distinguishes_where_the_words_are() {
        let a = ArticleText::new("T", "", ["ab", "c"]);
        let b = ArticleText::new("T", "", ["a", "bc"]);
        let c = ArticleText::new("T", "ab", ["c"]);
        assert_ne!(a.hash(), b.hash());
        assert_ne!(a.hash(), c.hash());
        assert_ne!(
            a.fingerprint(),
            c.fingerprint(),
            "byline is a field of its own"
        );
    }

    /// The fingerprint as versions stored before were fingerprinted: each
    /// letter or digit fed to the hasher on its own.
    fn fingerprint_char_by_char(t: &ArticleText) -> TextHash {
        let mut hasher = blake3::Hasher::new();
        let mut buf = [0u8; 4];
        let mut feed = |hasher: &mut blake3::Hasher, s: &str| {
            for c in s.chars().filter(|c| c.is_alphanumeric()) {
                hasher.update(c.encode_utf8(&mut buf).as_bytes());
            }
        };
        feed(&mut hasher, &t.title);
        hasher.update(FIELD_SEPARATOR);
        feed(&mut hasher, &t.byline);
        hasher.update(FIELD_SEPARATOR);
        for p in &t.paragraphs {
            feed(&mut hasher, p);
        }
        if let Some(social) = t.social() {
            hasher.update(FIELD_SEPARATOR);
            hasher.update(SOCIAL_MARK);
            feed(&mut hasher, social);
        }
        TextHash::of(hasher)
    }

    #[test]
    fn the_fingerprint_is_what_it_was_when_fed_one_character_at_a_time() {
        let long: Vec<String> = (0..300)
            .map(|i| format!("Paragraph {i}: naïve café, Łódź, 東京 — “quoted” ½ ✓."))
            .collect();
        for t in [
            ArticleText::new("", "", [""]),
            ArticleText::new("Title", "By A", ["One, two.", "Three"]),
            ArticleText::new("Ærø — İstanbul", "", &long),
            ArticleText::new("T", "B", ["x"]).with_social_title(Some("Social: ça va?")),
        ] {
            assert_eq!(t.fingerprint(), fingerprint_char_by_char(&t), "{t:?}");
        }
    }

    #[test]
    fn the_fingerprint_ignores_whitespace_punctuation_and_paragraph_breaks() {
        let a = ArticleText::new("Title", "", ["It's here, now.", "Next"]);
        let b = ArticleText::new("Title", "", ["Its here now", "", "Next!"]);
        let c = ArticleText::new("Title", "", ["It's here, now. Next"]);
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint(), c.fingerprint());
        assert_ne!(a.hash(), b.hash());
        let d = ArticleText::new("Title", "", ["it's here, now.", "Next"]);
        assert_ne!(a.fingerprint(), d.fingerprint(), "case is not minor");
        let e = ArticleText::new("Title", "", ["It's there, now.", "Next"]);
        assert_ne!(a.fingerprint(), e.fingerprint());
    }

    #[test]
    fn the_common_text_drops_paragraphs_that_vary_between_fetches() {
        let a = ArticleText::new("T", "", ["lead", "Live: 09:56 traffic", "body", "end"]);
        let b = ArticleText::new("T", "", ["lead", "Live: 10:02 weather", "body", "end"]);
        assert_eq!(a.common_with(&b).paragraphs, ["lead", "body", "end"]);
        assert_eq!(a.common_with(&a), a);
    }

    #[test]
    fn the_common_text_of_huge_unrelated_texts_is_still_common() {
        // Guards DIFF_TIME_LIMIT: without the deadline this alignment takes
        // several seconds; past it the result may be shorter than the
        // longest common subsequence, but must still be common to both.
        let paragraphs = |seed: u64| {
            let mut x = seed;
            (0..300_000)
                .map(move |_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    format!("p{}", x % 64)
                })
                .collect::<Vec<_>>()
        };
        let a = ArticleText::new("T", "", paragraphs(1));
        let b = ArticleText::new("T", "", paragraphs(2));
        let common = a.common_with(&b);
        let is_subsequence = |of: &ArticleText| {
            let mut rest = of.paragraphs.iter();
            common.paragraphs.iter().all(|p| rest.any(|q| q == p))
        };
        // May be empty if the deadline passes early (a loaded machine).
        assert!(is_subsequence(&a) && is_subsequence(&b));
    }

    #[test]
    fn stored_form_round_trips() {
        let a = ArticleText::new("T", "B", ["one", "two three"]);
        assert_eq!(ArticleText::from_stored("T", "B", None, &a.body()), a);
        assert_eq!(a.word_count(), 5);
    }
}
