//! Pages that stand in for the article: consent walls, bot challenges,
//! paywall teasers and login walls are recognised by generic markers (the
//! vendors' markup, the words such pages show, a password field) together
//! with very little text; articles that merely carry a consent manager's
//! script or a paywall flag are not.

use redline_extract::{Blocked, Extractor};

fn blocked(html: &str) -> Option<Blocked> {
    Extractor::new().extract(html).blocked
}

const ARTICLE: &str = "<p>The city council voted 7-2 on Tuesday night to build a riverside park on the site of the old freight yard, ending more than a decade of debate over what should become of the land.</p>\
<p>Supporters packed the chamber for the vote, which came after a four-hour hearing in which residents spoke for and against the plan. Opponents argued that the money would be better spent on housing.</p>\
<p>Work on clearing the site will begin in March, said Maria Okafor, the city's parks director. The first section of the park, including a playground and a path along the water, is expected to open next year.</p>\
<p>“This is a place that has been fenced off for as long as most people here can remember,” Okafor said. “Now it will belong to everyone.”</p>\
<p>The council will vote on the park's budget, estimated at $48 million, in June, after a second hearing. Residents can comment on the plan online until the end of April, the council said, and at two public meetings.</p>\
<p>The freight yard closed in 2009. Since then the land has been the subject of three proposals, two lawsuits and a ballot measure, none of which came to anything until the council bought the site last year.</p>\
<p>Okafor said the design would keep two of the old rail sheds, which will become a covered market and a space for community events, and that the city had applied for a state grant to pay for the riverbank path.</p>\
<p>Opponents said they would keep pressing for housing on part of the site, and one council member who voted against the plan said the city could still change course when the budget comes up for a vote.</p>";

#[test]
fn a_cloudflare_style_challenge_is_a_bot_challenge() {
    let html = r#"<!DOCTYPE html><html><head><title>Just a moment...</title>
<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></head>
<body><div class="main-wrapper"><h1>example.com</h1><p>Verifying you are human. This may take a few seconds.</p>
<p>example.com needs to review the security of your connection before proceeding.</p></div></body></html>"#;
    assert_eq!(blocked(html), Some(Blocked::BotChallenge));
    assert_eq!(Blocked::BotChallenge.to_string(), "bot challenge");
}

#[test]
fn a_captcha_page_is_a_bot_challenge() {
    let html = r#"<html><head><title>example.com</title></head><body>
<iframe src="https://geo.captcha-delivery.com/captcha/?initialCid=x"></iframe>
<p>Please enable JS and disable any ad blocker</p></body></html>"#;
    assert_eq!(blocked(html), Some(Blocked::BotChallenge));
}

#[test]
fn a_consent_wall_is_a_consent_wall() {
    let html = r#"<html><head><title>Before you continue</title>
<script src="https://cdn.consentmanager.example/sdk/didomi.js"></script></head>
<body><div class="consent-page"><h1>We value your privacy</h1>
<p>We and our partners store and access information on your device, such as cookies, to show you personalised content and advertising.</p>
<button>Accept all</button> <button>Reject all</button> <a href="/privacy">Manage your choices</a></div></body></html>"#;
    assert_eq!(blocked(html), Some(Blocked::ConsentWall));
    assert_eq!(Blocked::ConsentWall.reason(), "consent wall");
}

#[test]
fn a_paywall_teaser_is_a_paywall() {
    let html = r#"<html><head><title>Council approves park</title>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Council approves park","isAccessibleForFree":false}</script></head>
<body><article><h1>Council approves park</h1>
<p>The city council voted 7-2 on Tuesday night to build a riverside park on the site of the old freight yard.</p>
<div class="offer"><h2>Subscribe to continue reading</h2><p>Already a subscriber? <a href="/login">Log in</a></p></div>
</article></body></html>"#;
    assert_eq!(blocked(html), Some(Blocked::Paywall));
}

#[test]
fn a_login_wall_is_a_login_wall() {
    let html = r#"<html><head><title>Sign in</title></head><body>
<form action="/login" method="post"><h1>Sign in to continue</h1>
<input type="email" name="email"><input type="password" name="password"><button>Sign in</button></form>
</body></html>"#;
    assert_eq!(blocked(html), Some(Blocked::LoginWall));
}

#[test]
fn articles_with_consent_scripts_and_paywall_flags_are_not_blocked() {
    let with_cmp = format!(
        r#"<html><head><title>Park</title><script src="https://cdn.cookielaw.org/onetrust.js"></script></head>
<body><div id="onetrust-banner-sdk"><p>We value your privacy. Accept all cookies?</p><button>Accept all</button></div>
<article><h1>Council approves park</h1>{ARTICLE}</article></body></html>"#
    );
    assert_eq!(blocked(&with_cmp), None);
    let metered = format!(
        r#"<html><head><title>Park</title><script type="application/ld+json">{{"@type":"NewsArticle","isAccessibleForFree":false}}</script>
<script src="https://cdn.tinypass.com/api/tinypass.min.js"></script></head>
<body><article><h1>Council approves park</h1>{ARTICLE}<p class="note">Already a subscriber? Thank you.</p></article></body></html>"#
    );
    assert_eq!(blocked(&metered), None);
    // A short article that is all there is is not a wall either.
    let brief = "<html><head><title>Brief</title></head><body><article><h1>Road closed</h1>\
<p>The Main Street bridge will be closed to traffic on Saturday from 6 a.m. to 4 p.m. for repairs, the city said.</p></article></body></html>";
    assert_eq!(blocked(brief), None);
}
