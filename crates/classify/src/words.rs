//! Word-level helpers shared by the alignment and the label rules: word
//! runs, word bags for similarity, and edit distance.

use crate::lexicon::STOPWORDS;

/// The runs of letters and digits of `s`, in order.
pub fn words(s: &str) -> impl DoubleEndedIterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// A cheap, stable 64-bit hash of a lower-cased word (FNV-1a).
fn word_hash(word: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in word.chars().flat_map(char::to_lowercase) {
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The sorted multiset of lower-cased words of `s`, as hashes.
/// Function words ([`STOPWORDS`]) are left out unless fewer than three
/// words would remain.
pub fn bag(s: &str) -> Vec<u64> {
    let content: Vec<&str> = words(s).filter(|w| !is_stopword(w)).collect();
    let mut b: Vec<u64> = if content.len() >= 3 {
        content.into_iter().map(word_hash).collect()
    } else {
        words(s).map(word_hash).collect()
    };
    b.sort_unstable();
    b
}

fn is_stopword(word: &str) -> bool {
    word.len() <= 6 && {
        let mut buf = [0u8; 6];
        let lower = word.bytes().map(|b| b.to_ascii_lowercase());
        buf.iter_mut().zip(lower).for_each(|(d, s)| *d = s);
        let lower = &buf[..word.len()];
        std::str::from_utf8(lower).is_ok_and(|w| STOPWORDS.contains(&w))
    }
}

/// The number of words two sorted bags share (multiset intersection).
pub fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Dice similarity of two bags: 2·|A∩B| / (|A|+|B|); 1 for two empty bags.
pub fn dice(a: &[u64], b: &[u64]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * shared(a, b) as f32 / (a.len() + b.len()) as f32
}

/// Merges sorted bags.
pub fn merged(bags: &[&[u64]]) -> Vec<u64> {
    let mut out: Vec<u64> = bags.iter().flat_map(|b| b.iter().copied()).collect();
    out.sort_unstable();
    out
}

/// Levenshtein distance with adjacent transpositions (optimal string
/// alignment), over characters; gives up (returns `limit + 1`) past `limit`.
pub fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit || a.len() > 64 || b.len() > 64 {
        return limit + 1;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()].min(limit + 1)
}

/// Whether `word` starts with an upper-case letter.
pub fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Upper-cases the first letter of `s`.
pub fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `s` cut to at most `max` characters, on a character boundary.
pub fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A fast, non-cryptographic hasher for the crate's short-lived maps of
/// words and sentences (the FxHash mix: rotate, xor, multiply per 8 bytes).
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Builds [`FastHasher`]s.
pub type FastState = std::hash::BuildHasherDefault<FastHasher>;
/// A set with [`FastHasher`].
pub type FastSet<T> = std::collections::HashSet<T, FastState>;
/// A map with [`FastHasher`].
pub type FastMap<K, V> = std::collections::HashMap<K, V, FastState>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bags_and_dice() {
        let a = bag("Cats sat, the dogs ran.");
        let b = bag("CATS stood and dogs ran");
        assert_eq!((a.len(), b.len(), shared(&a, &b)), (4, 4, 3));
        assert!((dice(&a, &b) - 0.75).abs() < 1e-6);
        // Short sentences keep their function words.
        assert_eq!(bag("It is the end").len(), 4);
        assert_eq!(dice(&[], &[]), 1.0);
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("goverment", "government", 2), 1);
        assert_eq!(edit_distance("teh", "the", 2), 1);
        assert_eq!(edit_distance("abc", "xyz", 2), 3);
        assert_eq!(edit_distance("", "ab", 2), 2);
    }

    #[test]
    fn truncation_is_char_safe() {
        assert_eq!(truncate_chars("héllo", 2), "hé");
        assert_eq!(truncate_chars("hi", 5), "hi");
        assert_eq!(capitalise_first("élan"), "Élan");
    }
}
