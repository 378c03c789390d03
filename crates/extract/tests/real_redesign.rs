//! Real pages of one article in two templates of its site
//! (`tests/fixtures/real/`, from the Postlight Parser test suite, Apache
//! 2.0; origins in the README there) must give the same text, title and
//! byline. Ars Technica: one article captured in 2020 and 2022, its
//! "Further Reading" boxes moved in and out of the paragraphs and ad slots
//! added. The Forward: one article in its 2017 blog template (the `<h1>` a
//! banner, the headline an `<h2>` repeated above the text, bare-text
//! tweets, a donation appeal) and its 2022 redesign (headline in the
//! `<h1>`, tweets with paragraphs, a caption paragraph, an author
//! biography line). Every expected paragraph is written out: the
//! standfirst where there is one, subheads, no caption, no embedded tweet,
//! no related box, no appeal, no "Advertisement".

use redline_extract::{Article, Extractor, decode_html};

fn extract(path: &str) -> Article {
    let path = format!("{}/tests/fixtures/real/{path}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Extractor::new().extract(&decode_html(&bytes, None))
}

/// The text of "The connected renter" (page 1 of 3): standfirst first,
/// subheads as paragraphs, no figure credit, no "Further Reading" box, no
/// "Advertisement" label, no share buttons or comment count.
const ARS: &[&str] = &[
    "Turning your rented space into a smart home can be tricky; we have some advice.",
    "Name a home appliance or product, and there's probably a smart version of it today. But for the renters among us, it can be tricky to navigate the aisles of smart light bulbs, thermostats, air conditioners, and vacuums to pick out devices that won't jeopardize your security deposit. When you don't own your home, there’s a different set of rules dictating modifications, and some smart home products don't take that into account.",
    "Luckily these days, an increasing number of smart home devices can cater to apartment dwellers that want to avoid ripping open walls and trussing up wires. And as a NYC-based Ars staffer, I had a particularly perfect rental laboratory to recently test and explore what kinds of smart home devices fit renters' needs.",
    "What protocols should/can you use?",
    "When picking out accessories, for convenience's sake you'll probably want to decide ahead of time which of the many competing smart home ecosystems you'd like those products to come from. If you want to control all of your smart home products from the same app or want every product to be able to \"talk\" to each other, brand or protocol lock-in is the easiest current approach.",
    "HomeKit",
    "Let's start with the one everyone has heard of: HomeKit. Apple's IoT framework lets you control HomeKit-compatible devices via your iPhone or iPad. This framework tries to make it easier for users to control all smart home products by allowing the devices to talk to each other over a home's Wi-Fi network. With HomeKit, you can use Siri voice commands to control smart products—with iOS 10 in fact, an official \"Home\" app will make it easier to control HomeKit devices and group them together. After setting devices up, you can control them using simple phrases like, \"Siri, turn off the living room lights.\" You can also make nuanced commands that control only certain devices. For example, the voice command \"Good morning\" could initiate a group of actions including turning on the bedroom and bathroom lights and opening the blinds.",
    "The thing to remember about HomeKit is that manufacturers must integrate compatible hardware into their products under the terms of Apple's MFi licensing program . For example, a year or so ago Philips came out with a HomeKit-enabled Hue bridge for its smart lighting systems. The Philips Hue bridge already existed, but the company needed to make a new one that worked specifically with HomeKit. So far, companies including Belkin, Honeywell, and iHome among others have made HomeKit-ready devices. But still, the overall number of HomeKit-compatible devices is dwarfed by the number of smart home products available. HomeKit is also only available on Apple devices running iOS 8.2 or later, and watchOS 2 allows you to control devices via your Apple Watch.",
    "Alexa",
    "Amazon's Alexa voice assistant is tied to Amazon's products, namely the Echo, and you can ask it questions about basically anything. Along the same lines as Siri, you can also control some smart home products by asking Alexa to turn things on and off. Through the Alexa mobile app, users can create batch commands similar to those available through Siri, and this option makes it possible to control entire rooms filled with devices. Unlike with Siri and HomeKit, though, manufacturers can create Alexa compatibility with software updates rather than implementing entirely new hardware—that's why companies like Nest and Haiku have been able to add Alexa support to their smart home products.",
    "The convenience of HomeKit and Alexa is that you can control all of your devices using your voice—Alexa and Siri handle the communication from there. Otherwise, most smart home devices instead rely on dedicated apps that act like remote controls. HomeKit has the added benefit that devices can \"talk\" to one another, much like compatible devices under the Works with Nest framework. If, for example, you leave your home and lock your smart door lock behind you, that action could trigger turning off the lights inside a home.",
    "Zigbee and Z-Wave",
    "While HomeKit and Alexa have a lot of growing to do in terms of compatibility, Zigbee and Z-Wave have already linked to hundreds of working smart home devices. Both are mesh networking systems that send information between all devices on a network bound together by a hub. Zigbee runs on the universal 2.4GHz ISM frequency band, meaning its products are country-agnostic. By contrast, Z-Wave runs on the 915 MHz ISM band in the United States and the 868 MHz RFID band in the UK.",
    "Both of these protocols, especially Zigbee, are suited for those who want to fiddle around with their devices and set unique commands and controls. However, keep in mind that hubs and devices on Zigbee and Z-Wave tend to have shorter ranges, meaning you'll need to keep individual devices relatively close to each other. For apartment dwellers, that might actually work to your advantage if you have only a few small rooms to connect.",
    "Which products are off-limits?",
    "The best way to know what can and can’t work within your rental is decidedly analogue—read your lease and any other renter's agreements you may have signed upon moving in. Check the official documentation to see what you have access to and what you don't. For example, my apartment came with a refrigerator, oven, and microwave, and my lease forbids me from installing any different ones without notifying the landlord's office first. I'm also not allowed to have washer or dryer units in my apartment. You don't want to buy any smart home product only to realize its installation or very existence violates your lease agreements.",
    "As a general rule of thumb, smart thermostats are typically off-limits for renters. These products require rewiring stuff that's hidden behind walls, after all. Another category you'll want to be careful with is smart locks. Many (not all—we'll get to some examples) replace the locks on your doors, which renters typically cannot do without a specific reason or without informing management.",
];

/// The text of "The Adorable Reason …": no repeated headline, no photo
/// credit, none of the four embedded tweets, no donation appeal, no
/// author biography line, no contact trailer.
const FORWARD: &[&str] = &[
    "Sometimes (okay, a lot of the time), if I’m in the middle of editing or writing, I don’t always notice when someone else on my team is trying to communicate with me via Slack, the popular work messaging app.",
    "Thinking I could fix things by tinkering with the notification settings (perhaps more popups, a louder noise?), I made an amusing discovery. Amongst the options of “Ding,” “Boing,” “Woah!” and even “Knock Brush” (the default and our News editor’s favorite), Slack also offers the option of getting your attention by saying “hummus.”",
    "A lover of all things chummus (chickpeas), I decided to investigate.",
    "The reason Slack has this feature, it seems, is super adorable:",
    "Who is Anna? Anna Pickard is Slack’s editorial director who apparently delighted her coworkers with her (now readily accessible) pronunciation of the word hummus. In June, Anna tweeted a photo of her Slack notification options, adding, “Fact: My notification noise on Slack is set to Hummus’, a notification only available to us. Of me, saying hummus.”",
    "Soon after, like the best whipped chickpea spread, the plot thickened: Paul Betts, a software developer for Slack, jumped in to inform her that the setting wasn’t as exclusive as she thought:",
    "Some people, not content with an already beautiful thing, asked: why hummus?",
    "The answer, as those of us who work with Brits (or have ever watched the BBC) know, was obvious — but Slack’s Senior Content Director Matt Haughey stated it for good measure:",
    "Update: On December 28, I reached out to Slack’s PR team for the inside scoop. On December 29, I got a reply from Julia Blystone, who confirmed that the voice does indeed belong to Pickard, “one of Slack’s earliest employees, who helped create Slack’s brand personality and voice.”",
    "Blystone added that “One of our colleagues, Myles Grant, who’s an engineer and another of Slack’s first employees, loved the way she said ‘hummus’, so they recorded it and made it an option for the notification tone. It has been available for 18 months internally only (and was really an Easter Egg even within Slack) and was just released recently to all teams.”",
    "Sounds like another audibly delectable mystery solved.",
];

/// What one template of a pair must give: the whole text, the displayed
/// headline, the byline and the standfirst (if any).
struct Expected<'a> {
    paragraphs: &'a [&'a str],
    title: &'a str,
    byline: &'a str,
    standfirst: Option<&'a str>,
}

fn assert_gives(page: &str, expected: &Expected<'_>) -> Article {
    let article = extract(page);
    assert_eq!(article.paragraphs, expected.paragraphs, "text of {page}");
    assert_eq!(
        article.title.as_deref(),
        Some(expected.title),
        "title of {page}"
    );
    assert_eq!(
        article.byline.as_deref(),
        Some(expected.byline),
        "byline of {page}"
    );
    assert_eq!(
        article.standfirst.as_deref(),
        expected.standfirst,
        "standfirst of {page}"
    );
    assert_eq!(article.blocked, None, "{page} is the article");
    article
}

#[test]
fn ars_technica_2020_and_2022_captures_give_the_same_text() {
    let expected = Expected {
        paragraphs: ARS,
        title: "The connected renter: How to make your apartment smarter",
        byline: "Valentina Palladino",
        standfirst: Some(ARS[0]),
    };
    for capture in ["2020-capture", "2022-capture"] {
        let article = assert_gives(&format!("arstechnica.com/{capture}.html"), &expected);
        assert_eq!(
            article.published.map(|t| t.to_rfc3339()).as_deref(),
            Some("2016-08-10T11:15:53+00:00"),
            "published of {capture}"
        );
    }
}

#[test]
fn forward_2017_blog_template_and_2022_redesign_give_the_same_text() {
    let expected = Expected {
        paragraphs: FORWARD,
        title: "The Adorable Reason You Can Set Your Alert Sound to “Hummus” on Slack",
        byline: "Laura E. Adkins",
        standfirst: None,
    };
    for template in ["2017-slack-hummus", "2022-slack-hummus"] {
        assert_gives(&format!("forward.com/{template}.html"), &expected);
    }
}

#[test]
fn forward_publication_times_are_the_ones_each_template_states() {
    // The two templates state different instants for the same post (the
    // 2017 page 15:32 New York time, the 2022 one 01:32 UTC the next day):
    // each is read as written, neither from the visible date alone.
    let old = extract("forward.com/2017-slack-hummus.html");
    assert_eq!(
        old.published.map(|t| t.to_rfc3339()).as_deref(),
        Some("2016-12-28T15:32:00-05:00")
    );
    let new = extract("forward.com/2022-slack-hummus.html");
    assert_eq!(
        new.published.map(|t| t.to_rfc3339()).as_deref(),
        Some("2016-12-29T01:32:00+00:00")
    );
}

#[test]
fn no_template_lets_its_furniture_into_the_text() {
    // What each template puts between or after the paragraphs, by name:
    // none of it may reach the text, whichever template carries it.
    let furniture = [
        "Further Reading",
        "Advertisement",
        "Getty Images",
        "Because we love our Anna",
        "British people say words funny",
        "pic.twitter.com",
        "independent journalism depends on donations",
        "is Opinion Editor of the Forward",
        "reader comments",
        "Share this story",
        "The Schmooze",
    ];
    for page in [
        "arstechnica.com/2020-capture.html",
        "arstechnica.com/2022-capture.html",
        "forward.com/2017-slack-hummus.html",
        "forward.com/2022-slack-hummus.html",
    ] {
        let article = extract(page);
        for paragraph in &article.paragraphs {
            for piece in furniture {
                assert!(
                    !paragraph.contains(piece),
                    "{page}: {piece:?} in {paragraph:?}"
                );
            }
        }
        // The headline is the title, not the first paragraph.
        assert_ne!(article.paragraphs.first(), article.title.as_ref(), "{page}");
    }
}
