//! Generated prose: sections, outlet and person names, headlines and body
//! paragraphs built from word lists and sentence templates written for this
//! crate (no third-party text). Everything is driven by [`Rng`], so the same
//! seed yields the same articles.

use crate::rng::Rng;

/// A newsroom section: its URL slug, display name and vocabulary.
pub(crate) struct Section {
    pub slug: &'static str,
    pub name: &'static str,
    topics: &'static [&'static str],
    orgs: &'static [&'static str],
    events: &'static [&'static str],
    groups: &'static [&'static str],
    roles: &'static [&'static str],
}

/// The sections every outlet has, in navigation order.
pub(crate) const SECTIONS: &[Section] = &[
    Section {
        slug: "world",
        name: "World",
        topics: &[
            "the ceasefire talks",
            "the border crossing",
            "the flood recovery effort",
            "the regional trade agreement",
            "the grain export corridor",
            "the refugee resettlement scheme",
            "the disputed fishing zone",
            "the water-sharing treaty",
        ],
        orgs: &[
            "the Foreign Ministry",
            "the Coastal States Forum",
            "the International Relief Office",
            "the Northern Alliance",
            "the Harbour Commission",
        ],
        events: &[
            "a week of stalled negotiations",
            "heavy rains across the delta",
            "a surprise summit",
            "the collapse of a previous deal",
            "protests in the capital",
        ],
        groups: &[
            "diplomats",
            "aid workers",
            "border communities",
            "fishing crews",
            "local officials",
        ],
        roles: &[
            "a senior diplomat",
            "the mission’s chief negotiator",
            "an aid co-ordinator",
            "a regional analyst",
        ],
    },
    Section {
        slug: "politics",
        name: "Politics",
        topics: &[
            "the housing bill",
            "the proposed tax on second homes",
            "reforms to the planning system",
            "the coalition agreement",
            "local election turnout",
            "the school funding formula",
            "the bus franchising plan",
            "the review of council boundaries",
        ],
        orgs: &[
            "the Treasury",
            "the Ministry of Transport",
            "Halverton City Council",
            "the Electoral Commission",
            "the opposition party",
            "the Federation of Small Traders",
        ],
        events: &[
            "a late-night vote",
            "a leaked memo",
            "months of consultation",
            "a narrow by-election result",
            "a heated committee hearing",
        ],
        groups: &[
            "backbench MPs",
            "councillors",
            "campaigners",
            "tenants’ groups",
            "party members",
        ],
        roles: &[
            "the shadow housing minister",
            "the council leader",
            "a government spokesperson",
            "chair of the scrutiny committee",
        ],
    },
    Section {
        slug: "business",
        name: "Business",
        topics: &[
            "quarterly profits",
            "energy prices",
            "the proposed merger",
            "interest rates",
            "wage growth",
            "the retail sector",
            "the pension fund deficit",
            "freight costs",
        ],
        orgs: &[
            "Meridian Bank",
            "Harlow & Finch",
            "Corvid Systems",
            "the Northern Rail Authority",
            "Brightwater Energy",
            "the Chamber of Commerce",
        ],
        events: &[
            "a profit warning",
            "a surprise rate cut",
            "weaker than expected sales",
            "a shareholder revolt",
            "the loss of a major contract",
        ],
        groups: &[
            "investors",
            "shop owners",
            "analysts",
            "suppliers",
            "workers",
        ],
        roles: &[
            "chief executive of Meridian Bank",
            "a senior economist",
            "the firm’s finance director",
            "a retail analyst",
        ],
    },
    Section {
        slug: "technology",
        name: "Technology",
        topics: &[
            "the new data protection rules",
            "the weekend outage",
            "battery recycling",
            "the satellite broadband scheme",
            "open-source software",
            "chip supply",
            "the ticketing app",
            "facial recognition cameras",
        ],
        orgs: &[
            "Corvid Systems",
            "the Digital Standards Agency",
            "Lumen Networks",
            "the Open Code Foundation",
            "Quillstone Labs",
        ],
        events: &[
            "a major security breach",
            "a botched software update",
            "a record funding round",
            "complaints from users",
            "an independent audit",
        ],
        groups: &[
            "developers",
            "privacy campaigners",
            "users",
            "engineers",
            "regulators",
        ],
        roles: &[
            "the company’s chief technology officer",
            "a security researcher",
            "a spokesperson for the regulator",
            "an independent software engineer",
        ],
    },
    Section {
        slug: "science",
        name: "Science",
        topics: &[
            "the deep-sea survey",
            "the fusion experiment",
            "the migratory patterns of swifts",
            "coral bleaching",
            "the new telescope",
            "soil carbon",
            "the glacier monitoring project",
            "the seed bank",
        ],
        orgs: &[
            "the Coastal Research Institute",
            "the University of Kingsmere",
            "the National Observatory",
            "the Fenland Ecology Trust",
            "the Polar Data Centre",
        ],
        events: &[
            "an unexpected result",
            "a three-year expedition",
            "a peer-reviewed study",
            "a funding shortfall",
            "a record-breaking season",
        ],
        groups: &[
            "researchers",
            "marine biologists",
            "astronomers",
            "volunteers",
            "students",
        ],
        roles: &[
            "professor of marine biology at the University of Kingsmere",
            "the project’s lead scientist",
            "a climate modeller",
            "a doctoral researcher",
        ],
    },
    Section {
        slug: "health",
        name: "Health",
        topics: &[
            "hospital waiting lists",
            "the vaccination programme",
            "GP appointments",
            "mental health services",
            "the drug trial",
            "ambulance response times",
            "the new maternity unit",
            "care home staffing",
        ],
        orgs: &[
            "the National Health Trust",
            "Westbridge General Hospital",
            "the Royal College of Nurses",
            "the Patients’ Association",
            "the Public Health Agency",
        ],
        events: &[
            "a critical inspection report",
            "a winter surge in admissions",
            "a strike ballot",
            "the publication of new figures",
            "a funding announcement",
        ],
        groups: &[
            "patients",
            "nurses",
            "junior doctors",
            "carers",
            "health officials",
        ],
        roles: &[
            "a nurse at Westbridge General Hospital",
            "the trust’s medical director",
            "a consultant cardiologist",
            "a spokesperson for the Patients’ Association",
        ],
    },
    Section {
        slug: "sport",
        name: "Sport",
        topics: &[
            "the cup final",
            "the transfer window",
            "the new stadium",
            "the season opener",
            "the women’s league",
            "the relay team",
            "ticket prices",
            "the youth academy",
        ],
        orgs: &[
            "Ashford United",
            "Port Ellery Rovers",
            "the Athletics Federation",
            "the County Cricket Board",
            "Kingsmere Harriers",
        ],
        events: &[
            "a last-minute equaliser",
            "a disappointing away defeat",
            "an injury to the captain",
            "a record crowd",
            "a dramatic penalty shoot-out",
        ],
        groups: &[
            "supporters",
            "players",
            "coaches",
            "season-ticket holders",
            "club officials",
        ],
        roles: &[
            "the club’s manager",
            "the team captain",
            "a former international",
            "chair of the supporters’ trust",
        ],
    },
    Section {
        slug: "culture",
        name: "Culture",
        topics: &[
            "the summer festival",
            "the museum’s new wing",
            "the touring exhibition",
            "the orchestra’s budget",
            "the literary prize",
            "the restored cinema",
            "the community theatre",
            "the public art trail",
        ],
        orgs: &[
            "the Riverside Players",
            "the Halverton Museum",
            "the Arts Council",
            "the Kingsmere Philharmonic",
            "the Old Mill Gallery",
        ],
        events: &[
            "a sold-out opening night",
            "a row over funding",
            "the discovery of a lost manuscript",
            "a celebrated reopening",
            "a surprise shortlist",
        ],
        groups: &[
            "artists",
            "audiences",
            "volunteers",
            "curators",
            "local musicians",
        ],
        roles: &[
            "the festival’s artistic director",
            "a curator at the Halverton Museum",
            "the novelist",
            "a theatre critic",
        ],
    },
];

const PLACES: &[&str] = &[
    "Halverton",
    "Port Ellery",
    "Kingsmere",
    "Dunmore",
    "Ashby Vale",
    "Carrow",
    "Westbridge",
    "Lindqvist Bay",
    "San Aurelio",
    "Nova Kestrel",
    "Brackenfield",
    "Old Harbour",
    "Marlow Cross",
    "Saint Oriel",
    "Eastwick Down",
];

const FIRST_NAMES: &[&str] = &[
    "Jane", "Omar", "Priya", "José", "Zoë", "Søren", "Aoife", "Kwame", "Mei", "Lars", "Fatima",
    "Tomás", "Ingrid", "Hamid", "Chloé", "Dmitri", "Amara", "Niamh", "Ravi", "Elena", "Marcus",
    "Yuki", "Bethany", "Kofi", "Rosa", "Finn", "Leila", "Stefan", "Grace", "Ibrahim",
];

const LAST_NAMES: &[&str] = &[
    "Doe",
    "Haddad",
    "Patel",
    "Álvarez",
    "Brandt",
    "Lund",
    "O’Connell",
    "Mensah",
    "Chen",
    "Okafor",
    "Novak",
    "Rossi",
    "Kowalski",
    "Fitzgerald",
    "Nakamura",
    "Moreau",
    "Byrne",
    "Sørensen",
    "Whitfield",
    "Adeyemi",
    "Lindgren",
    "Costa",
    "Murphy",
    "Ishikawa",
    "Duarte",
    "Hughes",
    "Varga",
    "Ekström",
];

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const QUOTES: &[&str] = &[
    "We have listened carefully and we believe this is the right approach",
    "This is a difficult moment, but we are confident we can get it right",
    "People deserve clear answers, and they deserve them now",
    "Nobody expected it to happen this quickly",
    "We will be looking very closely at the detail",
    "It’s a step in the right direction, but it isn’t enough",
    "The numbers speak for themselves",
    "I don’t think anyone here is surprised",
    "We simply can’t carry on like this",
    "There is still a great deal of work to do",
    "Frankly, it has been a long time coming",
    "This was never going to be easy",
    "Our priority is the people who rely on us every day",
    "We owe it to the next generation to get this right",
];

const ADJECTIVES: &[&str] = &[
    "ambitious",
    "overdue",
    "unworkable",
    "promising",
    "expensive",
    "modest",
    "bold",
    "confusing",
    "welcome",
    "risky",
    "sensible",
    "rushed",
];

const REACTIONS: &[&str] = &[
    "drew immediate criticism from opponents",
    "was broadly welcomed by local businesses",
    "caught many observers by surprise",
    "is likely to face legal challenges",
    "could affect thousands of households",
    "has divided opinion among experts",
    "was described as long overdue",
];

const ACTIONS: &[&str] = &[
    "review",
    "pause",
    "expand",
    "scale back",
    "overhaul",
    "fund",
    "delay",
    "investigate",
    "reconsider",
    "publish details of",
];

const HEAD_VERBS: &[&str] = &[
    "review", "pause", "expand", "scrap", "overhaul", "back", "delay", "rethink", "defend",
    "rescue",
];

const CHANGES: &[&str] = &[
    "under scrutiny",
    "back on the agenda",
    "in doubt",
    "set to change",
    "facing delays",
    "gathering pace",
    "on hold",
];

const CAUSES: &[&str] = &[
    "costs rise",
    "pressure mounts",
    "talks resume",
    "new figures emerge",
    "critics speak out",
    "the deadline nears",
    "support grows",
];

const PROCESSES: &[&str] = &[
    "negotiation",
    "consultation",
    "uncertainty",
    "debate",
    "delays",
    "planning",
];

const FILLER_SHORT: &[&str] = &[
    "That may now change.",
    "Not everyone agrees.",
    "Talks are continuing.",
    "The details are still being worked out.",
    "It remains to be seen whether that will be enough.",
    "Others were more cautious.",
    "The mood has since shifted.",
    "Some are less convinced.",
    "The timing could hardly be worse.",
    "Few were surprised.",
    "The reaction was swift.",
    "For now, the plans remain on the table.",
    "Opinion remains divided.",
    "The next few weeks will be crucial.",
    "Questions remain.",
    "Nobody has yet been held responsible.",
];

/// Words the edit driver substitutes into paragraphs (plausible newsroom corrections).
pub(crate) const REPLACEMENT_WORDS: &[&str] = &[
    "officials",
    "reportedly",
    "thousands",
    "sharply",
    "council",
    "yesterday",
    "millions",
    "nearly",
    "several",
    "residents",
    "formally",
    "briefly",
    "privately",
    "initially",
    "roughly",
    "critics",
];

/// The generated text of one article.
pub(crate) struct GeneratedArticle {
    pub headline: String,
    pub byline: String,
    pub paragraphs: Vec<String>,
    pub caption: String,
    pub tags: Vec<String>,
}

/// Per-article context that keeps the prose coherent (same org, place, people).
struct Ctx {
    section: &'static Section,
    topic: &'static str,
    org: &'static str,
    org2: &'static str,
    place: &'static str,
    event: &'static str,
    group: &'static str,
    people: Vec<(String, String)>,
    next_person: usize,
    last_surname: String,
    /// Sentence templates already used, to avoid repeating one in an article.
    used: Vec<usize>,
    used_fillers: Vec<usize>,
    last_adj: &'static str,
}

/// A random person's name, e.g. "Zoë Brandt".
pub(crate) fn person_name(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES))
}

/// A byline: one author, or two joined with "and".
pub(crate) fn byline(rng: &mut Rng) -> String {
    if rng.percent(20) {
        format!("{} and {}", person_name(rng), person_name(rng))
    } else {
        person_name(rng)
    }
}

/// The name of outlet `index`, e.g. "The Halverton Ledger" (distinct for
/// the first 15 outlets of a seed, then suffixed with the index).
pub(crate) fn outlet_name(seed: u64, index: usize) -> String {
    const PAPERS: &[&str] = &[
        "Ledger",
        "Courier",
        "Beacon",
        "Gazette",
        "Chronicle",
        "Herald",
        "Observer",
        "Post",
    ];
    let mut rng = Rng::new(seed);
    let (a, b) = (rng.below(PLACES.len()), rng.below(PAPERS.len()));
    let place = PLACES[(a + index) % PLACES.len()];
    let paper = PAPERS[(b + index * 3) % PAPERS.len()];
    if index < PLACES.len() {
        format!("The {place} {paper}")
    } else {
        format!("The {place} {paper} {}", index + 1)
    }
}

/// A replacement word for the edit driver.
pub(crate) fn replacement_word(rng: &mut Rng) -> &'static str {
    rng.pick(REPLACEMENT_WORDS)
}

/// Generates a whole article for `section`.
pub(crate) fn article(rng: &mut Rng, section: usize) -> GeneratedArticle {
    let mut ctx = context(rng, section);
    let headline = headline(rng, &mut ctx);
    let byline = byline(rng);
    let count = rng.range(5, 15);
    let mut paragraphs = Vec::with_capacity(count);
    paragraphs.push(lead(rng, &mut ctx));
    for _ in 1..count {
        paragraphs.push(paragraph(rng, &mut ctx));
    }
    let caption = format!(
        "{} in {} on {}. Photograph: {}/Newsroom Pictures",
        cap(ctx.topic),
        ctx.place,
        rng.pick(WEEKDAYS),
        person_name(rng)
    );
    let tags = vec![
        ctx.place.to_string(),
        strip_article(ctx.org).to_string(),
        strip_article(ctx.topic).to_string(),
    ];
    GeneratedArticle {
        headline,
        byline,
        paragraphs,
        caption,
        tags,
    }
}

/// A standalone paragraph for `section` (the edit driver's additions).
pub(crate) fn standalone_paragraph(rng: &mut Rng, section: usize) -> String {
    let mut ctx = context(rng, section);
    paragraph(rng, &mut ctx)
}

/// A standalone headline for `section` (the edit driver's headline changes).
pub(crate) fn standalone_headline(rng: &mut Rng, section: usize) -> String {
    let mut ctx = context(rng, section);
    headline(rng, &mut ctx)
}

fn context(rng: &mut Rng, section: usize) -> Ctx {
    let s = &SECTIONS[section % SECTIONS.len()];
    let org = rng.pick(s.orgs);
    let mut org2 = rng.pick(s.orgs);
    if org2 == org {
        org2 = s.orgs[(s.orgs.iter().position(|o| *o == org).unwrap_or(0) + 1) % s.orgs.len()];
    }
    let mut people: Vec<(String, String)> = Vec::new();
    let wanted = rng.range(2, 3);
    while people.len() < wanted {
        let name = person_name(rng);
        let surname = name.rsplit(' ').next().unwrap_or(&name).to_string();
        if !people.iter().any(|(n, _)| n.ends_with(&surname)) {
            people.push((name, rng.pick(s.roles).to_string()));
        }
    }
    Ctx {
        section: s,
        topic: rng.pick(s.topics),
        org,
        org2,
        place: rng.pick(PLACES),
        event: rng.pick(s.events),
        group: rng.pick(s.groups),
        people,
        next_person: 0,
        last_surname: String::new(),
        used: Vec::new(),
        used_fillers: Vec::new(),
        last_adj: "",
    }
}

fn headline(rng: &mut Rng, ctx: &mut Ctx) -> String {
    const TEMPLATES: &[&str] = &[
        "{Org} to {hverb} {topic} after {event}",
        "{Place} {group} warn over {topic}",
        "{Topic} {change} as {cause}",
        "What {topic} means for {group} in {place}",
        "Inside the fight over {topic}",
        "{Org} defends {topic} amid criticism",
        "{Num} things we learned from {event}",
        "{Place} approves {topic} despite objections",
        "{Group} say {topic} is ‘{adj}’",
        "Why {topic} matters more than ever",
    ];
    let t = rng.pick(TEMPLATES);
    fill(t, rng, ctx)
}

fn lead(rng: &mut Rng, ctx: &mut Ctx) -> String {
    const TEMPLATES: &[&str] = &[
        "{Org} has said it will {action} {topic} following {event}, a decision that {reaction}.",
        "Plans to {action} {topic} in {place} were thrown into doubt on {day} after {event} left {group} questioning whether the timetable was still realistic.",
        "{Group} in {place} have called for an urgent review of {topic}, saying {event} has exposed problems that were raised more than {num} years ago.",
    ];
    let t = rng.pick(TEMPLATES);
    fill(t, rng, ctx)
}

fn paragraph(rng: &mut Rng, ctx: &mut Ctx) -> String {
    let n = match rng.below(10) {
        0..=1 => 1,
        2..=5 => 2,
        6..=8 => 3,
        _ => 4,
    };
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&sentence(rng, ctx));
    }
    out
}

fn sentence(rng: &mut Rng, ctx: &mut Ctx) -> String {
    const TEMPLATES: &[&str] = &[
        "“{quote},” said {person}, {role}.",
        "{Person}, {role}, told reporters the plan was “{adj} but {adj2}”.",
        "Figures published by {org} show that spending on {topic} rose by {pct} per cent over the past year.",
        "Critics argue that the handling of {topic} has been {adj} from the start.",
        "Supporters of the scheme insist that the benefits will become clear within {num} years.",
        "{Person}, {role}, said the figures were “worrying” and called for an independent review.",
        "The issue is expected to dominate the next meeting of {org2}, scheduled for {day}.",
        "Internal documents suggest that the cost of {topic} has risen sharply since {month}.",
        "By {day} evening, more than {big} people had signed a petition calling for a rethink.",
        "{Group} say they were not consulted before the announcement.",
        "The announcement came just {num} days after {event}.",
        "A spokesperson for {org} said the organisation “remains committed” to the plan.",
        "Some {group} in {place} have already begun to make alternative arrangements.",
        "Independent analysts say the true cost may be closer to £{amount}m.",
        "{Surname} said the priority now was to restore confidence.",
        "The last comparable review, in {month} {num} years ago, took almost a year to complete.",
        "There was no immediate response from {org2}.",
        "It is not the first time {org} has faced questions over {topic}.",
        "The decision follows {num} months of {process} and comes as {group} in {place} face mounting pressure.",
        "In a statement, {org2} said it was “disappointed” by the outcome and would consider its options.",
        "Around {big} people are thought to be affected, according to estimates from {org2}.",
        "{Surname} added that the timetable would be reviewed in {month}.",
        "The proposals, first set out in {month}, would cost an estimated £{amount}m over {num} years.",
        "Speaking in {place} on {day}, {person}, {role}, said: “{quote}.”",
        "{Group} have been asked to submit their views by the end of {month}.",
        "A further update is expected on {day}.",
        "{Org} declined to comment on the details but said discussions were “ongoing”.",
        "Local people say the changes have been {adj}, though few expect them to be reversed.",
        "{filler}",
        "{filler}",
        "Asked whether {topic} would survive the review, {surname} said it was “too early to say”.",
        "The row over {topic} has rumbled on since {event}, with {group} and {org2} repeatedly at odds over who should pay and how quickly work should begin.",
        "According to a report seen by this newspaper, {org} had been warned about the risks as early as {month}, but chose not to act until {event} made the issue impossible to ignore.",
    ];
    // Avoid repeating a sentence within an article while fresh ones remain.
    let mut k = rng.below(TEMPLATES.len());
    for _ in 0..20 {
        if !ctx.used.contains(&k) {
            break;
        }
        k = rng.below(TEMPLATES.len());
    }
    if TEMPLATES[k] != "{filler}" {
        ctx.used.push(k);
    }
    fill(TEMPLATES[k], rng, ctx)
}

fn fill(template: &str, rng: &mut Rng, ctx: &mut Ctx) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = start + rest[start..].find('}').expect("unclosed placeholder");
        let key = &rest[start + 1..end];
        let capitalise = key.chars().next().is_some_and(char::is_uppercase);
        let value = placeholder(&key.to_ascii_lowercase(), rng, ctx);
        if capitalise {
            out.push_str(&cap(&value));
        } else {
            out.push_str(&value);
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

fn placeholder(key: &str, rng: &mut Rng, ctx: &mut Ctx) -> String {
    match key {
        "org" => ctx.org.to_string(),
        "org2" => ctx.org2.to_string(),
        "place" => ctx.place.to_string(),
        "topic" => ctx.topic.to_string(),
        "event" => ctx.event.to_string(),
        "group" => ctx.group.to_string(),
        "section" => ctx.section.name.to_string(),
        "person" => {
            let (name, _) = &ctx.people[ctx.next_person % ctx.people.len()];
            ctx.last_surname = name.rsplit(' ').next().unwrap_or(name).to_string();
            name.clone()
        }
        "role" => {
            let (_, role) = &ctx.people[ctx.next_person % ctx.people.len()];
            ctx.next_person += 1;
            role.clone()
        }
        "surname" => {
            if ctx.last_surname.is_empty() {
                let (name, _) = &ctx.people[0];
                ctx.last_surname = name.rsplit(' ').next().unwrap_or(name).to_string();
            }
            ctx.last_surname.clone()
        }
        "quote" => rng.pick(QUOTES).to_string(),
        "adj" => {
            ctx.last_adj = rng.pick(ADJECTIVES);
            ctx.last_adj.to_string()
        }
        "adj2" => {
            let mut a = rng.pick(ADJECTIVES);
            while a == ctx.last_adj {
                a = rng.pick(ADJECTIVES);
            }
            a.to_string()
        }
        "reaction" => rng.pick(REACTIONS).to_string(),
        "action" => rng.pick(ACTIONS).to_string(),
        "hverb" => rng.pick(HEAD_VERBS).to_string(),
        "change" => rng.pick(CHANGES).to_string(),
        "cause" => rng.pick(CAUSES).to_string(),
        "process" => rng.pick(PROCESSES).to_string(),
        "filler" => {
            let mut k = rng.below(FILLER_SHORT.len());
            for _ in 0..20 {
                if !ctx.used_fillers.contains(&k) {
                    break;
                }
                k = rng.below(FILLER_SHORT.len());
            }
            ctx.used_fillers.push(k);
            FILLER_SHORT[k].to_string()
        }
        "day" => rng.pick(WEEKDAYS).to_string(),
        "month" => rng.pick(MONTHS).to_string(),
        "num" => rng.range(2, 18).to_string(),
        "pct" => format!("{}.{}", rng.range(1, 24), rng.below(10)),
        "amount" => format!("{}.{}", rng.range(1, 950), rng.below(10)),
        "big" => thousands(rng.range(1_200, 480_000) / 100 * 100),
        other => panic!("unknown placeholder {{{other}}}"),
    }
}

/// Formats `n` with comma thousands separators ("12,400").
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Upper-cases the first character.
pub(crate) fn cap(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn strip_article(s: &str) -> &str {
    s.strip_prefix("the ")
        .or_else(|| s.strip_prefix("The "))
        .unwrap_or(s)
}

/// A URL slug: lowercase ASCII words joined by '-', at most eight words.
pub(crate) fn slugify(s: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        let folded = match c {
            'á' | 'à' | 'ä' | 'â' | 'Á' => Some('a'),
            'é' | 'è' | 'ë' | 'ê' | 'É' => Some('e'),
            'í' | 'ï' | 'Í' => Some('i'),
            'ó' | 'ö' | 'ô' | 'Ó' | 'ø' | 'Ø' => Some('o'),
            'ú' | 'ü' | 'Ú' => Some('u'),
            'ñ' => Some('n'),
            '’' | '\'' => None,
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                continue;
            }
        };
        if let Some(f) = folded {
            cur.push(f);
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words.truncate(8);
    if words.is_empty() {
        "story".to_string()
    } else {
        words.join("-")
    }
}

/// Live-ticker lines (per-request boilerplate).
pub(crate) const TICKER: &[&str] = &[
    "Traffic: delays on the ring road after a lorry breakdown",
    "Markets: shares edge higher in early trading",
    "Weather: heavy showers expected this afternoon",
    "Rail: reduced timetable on the coast line this weekend",
    "Sport: team news confirmed ahead of tonight’s match",
    "Council: planning meeting adjourned until next week",
    "Health: walk-in centre opening hours extended",
    "Courts: sentencing hearing postponed",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_look_like_articles() {
        let mut rng = Rng::new(42);
        let mut words = 0;
        for i in 0..200 {
            let a = article(&mut rng, i);
            assert!((5..=15).contains(&a.paragraphs.len()));
            assert!(!a.headline.is_empty() && !a.headline.contains('{'));
            for p in &a.paragraphs {
                assert!(!p.contains('{') && !p.contains('}'), "{p}");
                words += p.split_whitespace().count();
            }
        }
        let avg = words / 200;
        let mut rng = Rng::new(5);
        for i in 0..50 {
            let a = article(&mut rng, i);
            let sentences: Vec<&str> = a
                .paragraphs
                .iter()
                .flat_map(|p| p.split_inclusive(". "))
                .map(str::trim)
                .collect();
            let distinct: std::collections::HashSet<_> = sentences.iter().collect();
            assert!(
                distinct.len() + 2 >= sentences.len(),
                "repetitive article: {:?}",
                a.paragraphs
            );
        }
        assert!((150..=900).contains(&avg), "average words {avg}");
    }

    #[test]
    fn slugs_and_numbers() {
        assert_eq!(
            slugify("Zoë’s café: a £4.2m ‘plan’!"),
            "zoes-cafe-a-4-2m-plan"
        );
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
