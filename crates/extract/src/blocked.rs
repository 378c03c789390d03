//! Pages that stand in for the article: consent walls, bot-protection
//! challenges, paywall teasers and login interstitials.
//!
//! Recognised by generic signals only, never by site: the markers of
//! consent managers and challenge vendors (`cf-browser-verification`,
//! `captcha-delivery.com`, `didomi`, `onetrust`…), the vocabulary such
//! pages show ("Accept all", "Verify you are human", "Subscribe to
//! continue reading", "Sign in to continue") and a password field — and
//! always together with very little article text, so that an article page
//! that merely carries a cookie banner or a paywall script is never called
//! blocked. The checks run only when the extracted text is short, so they
//! cost nothing on ordinary pages.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Serialize;
use std::sync::OnceLock;

use crate::dom::{Document, NodeData, ROOT, Tag};

/// Why a page is not the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Blocked {
    /// A cookie/consent manager's wall in place of the page.
    ConsentWall,
    /// A bot-protection challenge (CAPTCHA, JavaScript check).
    BotChallenge,
    /// A subscription teaser: the start of the article, then an offer.
    Paywall,
    /// A sign-in or registration interstitial.
    LoginWall,
}

impl Blocked {
    /// The reason in words: "consent wall", "bot challenge", "paywall",
    /// "login wall".
    pub fn reason(self) -> &'static str {
        match self {
            Blocked::ConsentWall => "consent wall",
            Blocked::BotChallenge => "bot challenge",
            Blocked::Paywall => "paywall",
            Blocked::LoginWall => "login wall",
        }
    }
}

impl std::fmt::Display for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.reason())
    }
}

/// Above this much article text (bytes) a page is an article whatever
/// scripts it carries.
const MAX_TEXT_BLOCKED: usize = 1500;
/// Consent walls, challenges and login walls show hardly any text.
const MAX_TEXT_WALL: usize = 700;
/// Visible text of a wall page, navigation included (bytes).
const MAX_VISIBLE_WALL: usize = 6000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Signal {
    /// Markup or scripts of a challenge vendor.
    ChallengeMarker,
    /// What a challenge page says.
    ChallengeText,
    /// Markup or scripts of a consent manager.
    ConsentMarker,
    /// What a consent dialog says.
    ConsentText,
    /// Markup of a paywall / metering script.
    PaywallMarker,
    /// What a paywall teaser says.
    PaywallText,
    /// What a login wall says.
    LoginText,
}

const PATTERNS: &[(&str, Signal)] = &[
    ("cf-browser-verification", Signal::ChallengeMarker),
    ("cf_chl_opt", Signal::ChallengeMarker),
    ("/cdn-cgi/challenge-platform", Signal::ChallengeMarker),
    ("cf-challenge", Signal::ChallengeMarker),
    ("captcha-delivery.com", Signal::ChallengeMarker),
    ("px-captcha", Signal::ChallengeMarker),
    ("_incapsula_resource", Signal::ChallengeMarker),
    ("errors.edgesuite.net", Signal::ChallengeMarker),
    ("awswaf", Signal::ChallengeMarker),
    ("challenges.cloudflare.com", Signal::ChallengeMarker),
    ("g-recaptcha", Signal::ChallengeMarker),
    ("h-captcha", Signal::ChallengeMarker),
    ("checking your browser", Signal::ChallengeText),
    (
        "checking if the site connection is secure",
        Signal::ChallengeText,
    ),
    ("verify you are human", Signal::ChallengeText),
    ("verifying you are human", Signal::ChallengeText),
    ("are you a robot", Signal::ChallengeText),
    ("not a robot", Signal::ChallengeText),
    ("pardon our interruption", Signal::ChallengeText),
    (
        "enable javascript and cookies to continue",
        Signal::ChallengeText,
    ),
    ("just a moment...", Signal::ChallengeText),
    ("access denied", Signal::ChallengeText),
    ("unusual traffic", Signal::ChallengeText),
    ("ddos protection", Signal::ChallengeText),
    ("didomi", Signal::ConsentMarker),
    ("onetrust", Signal::ConsentMarker),
    ("cookiebot", Signal::ConsentMarker),
    ("usercentrics", Signal::ConsentMarker),
    ("trustarc", Signal::ConsentMarker),
    ("quantcast", Signal::ConsentMarker),
    ("qc-cmp", Signal::ConsentMarker),
    ("sp_message", Signal::ConsentMarker),
    ("sourcepoint", Signal::ConsentMarker),
    ("fc-consent", Signal::ConsentMarker),
    ("consent.yahoo.com", Signal::ConsentMarker),
    ("consent.google", Signal::ConsentMarker),
    ("consentmanager", Signal::ConsentMarker),
    ("cookie-wall", Signal::ConsentMarker),
    ("cookiewall", Signal::ConsentMarker),
    ("consent-wall", Signal::ConsentMarker),
    ("__tcfapi", Signal::ConsentMarker),
    ("accept all", Signal::ConsentText),
    ("reject all", Signal::ConsentText),
    ("accept cookies", Signal::ConsentText),
    ("we value your privacy", Signal::ConsentText),
    ("before you continue", Signal::ConsentText),
    ("we and our partners", Signal::ConsentText),
    ("manage your choices", Signal::ConsentText),
    ("tout accepter", Signal::ConsentText),
    ("alle akzeptieren", Signal::ConsentText),
    ("aceptar todo", Signal::ConsentText),
    ("accetta tutti", Signal::ConsentText),
    ("aceitar todos", Signal::ConsentText),
    ("tinypass", Signal::PaywallMarker),
    ("piano.io", Signal::PaywallMarker),
    ("paywall", Signal::PaywallMarker),
    ("\"isaccessibleforfree\":false", Signal::PaywallMarker),
    ("\"isaccessibleforfree\": false", Signal::PaywallMarker),
    ("\"isaccessibleforfree\":\"false\"", Signal::PaywallMarker),
    ("\"isaccessibleforfree\": \"false\"", Signal::PaywallMarker),
    ("subscribe to continue", Signal::PaywallText),
    ("subscribe to read", Signal::PaywallText),
    ("subscribers only", Signal::PaywallText),
    ("for subscribers", Signal::PaywallText),
    ("already a subscriber", Signal::PaywallText),
    ("already subscribed", Signal::PaywallText),
    ("to continue reading", Signal::PaywallText),
    ("réservé aux abonnés", Signal::PaywallText),
    ("déjà abonné", Signal::PaywallText),
    ("nur für abonnenten", Signal::PaywallText),
    ("exclusivo para suscriptores", Signal::PaywallText),
    ("sign in to continue", Signal::LoginText),
    ("log in to continue", Signal::LoginText),
    ("login to continue", Signal::LoginText),
    ("sign in to read", Signal::LoginText),
    ("log in to read", Signal::LoginText),
    ("please log in", Signal::LoginText),
    ("please sign in", Signal::LoginText),
    ("register to continue", Signal::LoginText),
    ("create a free account", Signal::LoginText),
];

fn automaton() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(PATTERNS.iter().map(|(p, _)| p))
            .expect("valid patterns")
    })
}

/// The signals found in `text`, as a bit set over [`Signal`] order.
fn signals(text: &str) -> u8 {
    let mut found = 0u8;
    for m in automaton().find_overlapping_iter(text) {
        found |= 1 << PATTERNS[m.pattern().as_usize()].1 as u8;
    }
    found
}

fn has(set: u8, signal: Signal) -> bool {
    set & (1 << signal as u8) != 0
}

/// Whether `doc` (parsed from `html`) is a wall instead of the article,
/// given the article text found in it (`text_bytes`).
pub fn detect(html: &str, doc: &Document<'_>, text_bytes: usize) -> Option<Blocked> {
    if text_bytes > MAX_TEXT_BLOCKED {
        return None;
    }
    let (visible, password) = visible_text(doc);
    let shown = signals(&visible);
    let page = signals(html) | shown;
    let wall = text_bytes <= MAX_TEXT_WALL && visible.len() <= MAX_VISIBLE_WALL;
    if wall
        && (has(page, Signal::ChallengeMarker)
            && (has(shown, Signal::ChallengeText) || text_bytes < 200)
            || has(shown, Signal::ChallengeText) && visible.len() < 600)
    {
        return Some(Blocked::BotChallenge);
    }
    if wall
        && has(shown, Signal::ConsentText)
        && (has(page, Signal::ConsentMarker) || text_bytes < 200)
    {
        return Some(Blocked::ConsentWall);
    }
    if wall && (password && text_bytes < 300 || has(shown, Signal::LoginText)) {
        return Some(Blocked::LoginWall);
    }
    if has(shown, Signal::PaywallText)
        && (has(page, Signal::PaywallMarker) || text_bytes <= MAX_TEXT_WALL)
    {
        return Some(Blocked::Paywall);
    }
    None
}

/// The page's visible text (and `<title>`; no scripts, styles, templates), and whether it
/// has a password field.
fn visible_text(doc: &Document<'_>) -> (String, bool) {
    let mut out = String::new();
    let mut password = false;
    let mut id = doc.node(ROOT).first_child;
    while id != crate::dom::NONE {
        match doc.node(id).data {
            NodeData::Text { .. } => {
                if out.len() < MAX_VISIBLE_WALL * 2 {
                    out.push_str(&doc.text_content(id));
                    out.push(' ');
                }
            }
            _ => {
                let skip = matches!(doc.tag(id), Some(Tag::Script | Tag::Style | Tag::Template));
                if doc.tag(id) == Some(Tag::Input)
                    && doc
                        .attr(id, "type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("password"))
                {
                    password = true;
                }
                if skip {
                    id = doc.next_skipping_children(id, ROOT);
                    continue;
                }
            }
        }
        id = doc.next_in(id, ROOT);
    }
    (out, password)
}
