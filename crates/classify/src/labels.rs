//! The label vocabulary and the rules that give a change its labels (see
//! `LABELS.md` for the vocabulary with an example of each).
//!
//! The rules, in short:
//! - a part of the change (headline, byline, an edited sentence) that
//!   differs only in spelling (a typo of at most two edits in a word),
//!   capitalisation, punctuation or whitespace is `style`, and gives no
//!   other label: a change that is only style is labelled `style` alone;
//!   so is a merge or split of sentences that only adds or drops a
//!   connective ("and", "that is", "und");
//! - `headline`, `byline`: the field changed in words;
//! - `social_headline`: the social headline (`og:title`) changed in words,
//!   one replaced by another (one appearing or going is style: templates
//!   do that); not substantive by itself, so never `stealth` alone;
//! - `lede`: a substantive action in the first paragraph of either version
//!   (editor's notes aside);
//! - `number`, `attribution`, `name`: compared within each paired stretch
//!   of text (the headline, an edited, moved, split or merged sentence, a
//!   run of deleted sentences replaced by added ones in the same place);
//!   two numbers pair only if of one sort and replaced in place (one short
//!   changed run, or the same neighbouring word); a speaker's role changed
//!   is `attribution`, only its names changed is `name`, a named speaker
//!   made anonymous is `attribution` alone;
//! - `quote`: quotations (in any of “” "" «» „“ ‚‘ '' marks) compared by
//!   their words, in paired stretches and in added or deleted sentences;
//! - `correction`: a paragraph that is an editor's note added or changed;
//! - `addition`, `deletion`, `move`: the sentence actions of that kind (an
//!   added note is `correction`, an added live post `live`);
//! - `rewrite`: more than half of the old sentences and of the old words
//!   deleted or changed;
//! - `live`: on a live page, sentences added above or below all the text
//!   the versions share;
//! - `stealth`: a substantive change, no `correction`, and no editor's note
//!   anywhere in the new text.

use redline_diff::ArticleText;
use serde::Serialize;

use crate::analysis::{Analysis, Field, analyse};
use crate::{Action, ActionKind, Context};

/// What kind of change a change is. A change can have several.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// The headline changed.
    Headline,
    /// The social headline (`og:title`) changed: what the article is
    /// called when shared, which outlets A/B-test.
    SocialHeadline,
    /// The byline changed.
    Byline,
    /// The first paragraph changed.
    Lede,
    /// A figure, amount, percentage, date or count changed: 243 → 234.
    Number,
    /// Quoted words added, removed or altered.
    Quote,
    /// Who is said or credited changed.
    Attribution,
    /// A person, organisation or place swapped.
    Name,
    /// An editor's note added or changed.
    Correction,
    /// Text added.
    Addition,
    /// Text removed.
    Deletion,
    /// Text moved.
    Move,
    /// Spelling, capitalisation, punctuation or whitespace only.
    Style,
    /// Most of the text replaced.
    Rewrite,
    /// New posts on a live page.
    Live,
    /// A substantive change with no correction or update note on the page.
    Stealth,
}

impl Label {
    pub const ALL: [Label; 16] = [
        Label::Headline,
        Label::SocialHeadline,
        Label::Byline,
        Label::Lede,
        Label::Number,
        Label::Quote,
        Label::Attribution,
        Label::Name,
        Label::Correction,
        Label::Addition,
        Label::Deletion,
        Label::Move,
        Label::Style,
        Label::Rewrite,
        Label::Live,
        Label::Stealth,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Headline => "headline",
            Label::SocialHeadline => "social_headline",
            Label::Byline => "byline",
            Label::Lede => "lede",
            Label::Number => "number",
            Label::Quote => "quote",
            Label::Attribution => "attribution",
            Label::Name => "name",
            Label::Correction => "correction",
            Label::Addition => "addition",
            Label::Deletion => "deletion",
            Label::Move => "move",
            Label::Style => "style",
            Label::Rewrite => "rewrite",
            Label::Live => "live",
            Label::Stealth => "stealth",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// What the label means, in one sentence.
    pub fn describe(self) -> &'static str {
        match self {
            Label::Headline => "The headline changed in words.",
            Label::SocialHeadline => {
                "The social headline (og:title, the one shown when the article is shared) changed in words."
            }
            Label::Byline => "The byline changed in words: an author added, removed or replaced.",
            Label::Lede => "The first paragraph, the lede (editor's notes aside), changed.",
            Label::Number => "A figure, amount, percentage, date or count changed.",
            Label::Quote => "Quoted words were added, removed or altered.",
            Label::Attribution => {
                "Who is said or credited changed: a source named, replaced or made anonymous."
            }
            Label::Name => "A person, organisation or place was swapped for another.",
            Label::Correction => {
                "An editor's note (correction, clarification, update) was added or changed."
            }
            Label::Addition => "Sentences or paragraphs were added.",
            Label::Deletion => "Sentences or paragraphs were removed.",
            Label::Move => "Sentences now stand elsewhere in the text.",
            Label::Style => {
                "Spelling, capitalisation, punctuation or whitespace changed, nothing else in that part."
            }
            Label::Rewrite => "Most of the text was replaced.",
            Label::Live => "New posts on a live page.",
            Label::Stealth => "A substantive change with no correction or update note on the page.",
        }
    }

    /// A short example of a change with the label.
    pub fn example(self) -> &'static str {
        match self {
            Label::Headline => "\"Minister resigns\" → \"Minister resigns after expenses inquiry\"",
            Label::SocialHeadline => {
                "og:title \"Minister resigns\" → \"You won't believe who just quit\""
            }
            Label::Byline => "\"By Jane Doe\" → \"By Jane Doe and John Roe\"",
            Label::Lede => {
                "First paragraph \"Five people died…\" → \"At least seven people died…\""
            }
            Label::Number => "\"243 people were evacuated\" → \"234 people were evacuated\"",
            Label::Quote => "\"“We will not resign,” he said.\" removed",
            Label::Attribution => "\"…, officials said.\" → \"…, according to a spokesman.\"",
            Label::Name => "\"said Mayor Smith\" → \"said Mayor Jones\"",
            Label::Correction => {
                "\"Correction: An earlier version of this article misstated…\" appended"
            }
            Label::Addition => "A new paragraph \"Police later arrested two men.\"",
            Label::Deletion => "The paragraph \"The company declined to comment.\" cut",
            Label::Move => "The fifth paragraph now stands second",
            Label::Style => {
                "\"the goverment said\" → \"the government said\"; \"REUTERS\" → \"Reuters\""
            }
            Label::Rewrite => "Eight of ten paragraphs replaced by new text",
            Label::Live => "\"12:05 — The minister has arrived.\" added at the top of a live page",
            Label::Stealth => "A figure changed and nothing on the page says so",
        }
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The labels of the change from `old` to `new`, in [`Label::ALL`] order.
pub fn label(
    old: &ArticleText,
    new: &ArticleText,
    actions: &[Action],
    context: Context,
) -> Vec<Label> {
    labels_of(&analyse(old, new, actions, context), actions)
}

/// The labels of an analysed change, in [`Label::ALL`] order.
pub(crate) fn labels_of(an: &Analysis, actions: &[Action]) -> Vec<Label> {
    let changed = |f: Option<Field>| matches!(f, Some(Field::Changed { .. }));
    let plain = |k: usize| !an.live_actions[k] && !an.note_actions[k];
    let any = |kind: ActionKind| {
        actions
            .iter()
            .enumerate()
            .any(|(k, a)| a.kind == kind && plain(k))
    };
    let correction = an.note.is_some();
    let substantive = an.substantive;
    let flags = [
        (Label::Headline, changed(an.headline)),
        (Label::SocialHeadline, changed(an.social_headline)),
        (Label::Byline, changed(an.byline)),
        (Label::Lede, an.lede),
        (Label::Number, !an.numbers.is_empty()),
        (Label::Quote, an.quote()),
        (Label::Attribution, an.attribution),
        (Label::Name, !an.names.is_empty()),
        (Label::Correction, correction),
        (Label::Addition, any(ActionKind::Addition)),
        (Label::Deletion, any(ActionKind::Deletion)),
        // Survivors of a rewrite moving about is no news.
        (Label::Move, an.moved.sentences > 0 && !an.rewrite),
        (Label::Style, an.style),
        (Label::Rewrite, an.rewrite),
        (Label::Live, an.live_actions.iter().any(|x| *x)),
        (
            Label::Stealth,
            substantive && !correction && !an.note_on_page,
        ),
    ];
    flags
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(l, _)| l)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess;

    const BODY: [&str; 5] = [
        "At least 243 people were evacuated on Monday after the river burst its banks, officials said.",
        "“We have never seen water this high,” said Mayor Anna Keller.",
        "The army sent 300 soldiers to help with sandbags.",
        "Schools in the district will stay closed until Thursday.",
        "Forecasters expect more rain later in the week.",
    ];

    fn article(title: &str, byline: &str, body: &[&str]) -> ArticleText {
        ArticleText::new(title, byline, body)
    }

    fn labels_of_edit(
        edit: impl Fn(&mut Vec<String>),
        title: &str,
        byline: &str,
        live: bool,
    ) -> Vec<Label> {
        let old = article(
            "Floods force hundreds from their homes",
            "By Jane Porter",
            &BODY,
        );
        let mut body: Vec<String> = BODY.iter().map(|s| s.to_string()).collect();
        edit(&mut body);
        let new = ArticleText::new(title, byline, &body);
        assess(&old, &new, Context { live }).labels
    }

    fn labels(edit: impl Fn(&mut Vec<String>)) -> Vec<Label> {
        labels_of_edit(
            edit,
            "Floods force hundreds from their homes",
            "By Jane Porter",
            false,
        )
    }

    use Label::*;

    #[test]
    fn vocabulary_is_complete_and_round_trips() {
        for l in Label::ALL {
            assert_eq!(Label::parse(l.as_str()), Some(l));
            assert!(l.describe().ends_with('.'));
            assert!(!l.example().is_empty());
        }
        let doc = include_str!("../LABELS.md");
        for l in Label::ALL {
            assert!(
                doc.contains(&format!("`{}`", l.as_str())),
                "LABELS.md lacks {l}"
            );
        }
    }

    #[test]
    fn realistic_edits() {
        fn set(k: usize, s: &'static str) -> impl Fn(&mut Vec<String>) {
            move |b: &mut Vec<String>| b[k] = s.to_string()
        }
        assert_eq!(
            labels(set(2, "The army sent 350 soldiers to help with sandbags.")),
            vec![Number, Stealth]
        );
        assert_eq!(
            labels(set(
                1,
                "“We have never seen water rise this fast,” said Mayor Anna Keller."
            )),
            vec![Quote, Stealth]
        );
        assert_eq!(
            labels(set(
                1,
                "“We have never seen water this high,” a city spokesman said."
            )),
            vec![Attribution, Stealth]
        );
        assert_eq!(
            labels(set(
                1,
                "“We have never seen water this high,” said Mayor Tom Brandt."
            )),
            vec![Name, Stealth]
        );
        assert_eq!(
            labels(set(
                3,
                "Schools in the distict will stay closed until Thursday."
            )),
            vec![Style]
        );
        assert_eq!(
            labels(|b| b.push(
                "Correction: An earlier version of this article misstated the number of soldiers."
                    .into()
            )),
            vec![Correction]
        );
        assert_eq!(
            labels(|b| {
                b.remove(1);
            }),
            vec![Quote, Deletion, Stealth]
        );
        assert_eq!(labels(|b| b.swap(3, 4)), vec![Move, Stealth]);
        assert_eq!(
            labels(|b| b.insert(3, "Power was cut to 5,000 homes overnight.".into())),
            vec![Addition, Stealth]
        );
        assert_eq!(
            labels(set(
                0,
                "At least 243 people were evacuated on Tuesday after the river burst its banks, officials said."
            )),
            vec![Lede, Number, Stealth]
        );
        assert_eq!(
            labels_of_edit(
                |_| {},
                "Floods force thousands from their homes in the north",
                "By Jane Porter",
                false
            ),
            vec![Headline, Number, Stealth]
        );
        assert_eq!(
            labels_of_edit(
                |_| {},
                "Floods force hundreds from their homes",
                "BY JANE PORTER",
                false
            ),
            vec![Style]
        );
        assert_eq!(
            labels_of_edit(
                |_| {},
                "Floods force hundreds from their homes",
                "By Jane Porter and Tom Roe",
                false
            ),
            vec![Byline, Stealth]
        );
        assert_eq!(
            labels_of_edit(
                |b| b.insert(0, "10:42 — Rescue teams have reached the village.".into()),
                "Floods force hundreds from their homes",
                "By Jane Porter",
                true
            ),
            vec![Live]
        );
    }

    #[test]
    fn notes_in_other_languages_are_corrections() {
        for note in [
            "Korrektur: In einer früheren Version dieses Artikels stand eine falsche Zahl.",
            "Dieser Artikel wurde am Sonntag aktualisiert.",
            "Rectificatif : une version précédente de cet article donnait un chiffre erroné.",
            "Cet article a été mis à jour.",
            "Fe de errores: una versión anterior de este artículo daba una cifra errónea.",
            "Este artículo ha sido actualizado.",
        ] {
            assert_eq!(labels(|b| b.push(note.into())), vec![Correction], "{note}");
        }
    }

    fn labels_of(old: &[&str], new: &[&str]) -> Vec<Label> {
        let (old, new) = (article("Titel", "", old), article("Titel", "", new));
        assess(&old, &new, Context::default()).labels
    }

    #[test]
    fn edits_in_other_languages() {
        let de = "Die Polizei nahm am Dienstag 12 Personen fest, sagte ein Sprecher der Stadt.";
        assert_eq!(
            labels_of(
                &["Einleitung bleibt.", de],
                &["Einleitung bleibt.", &de.replace("12", "15")]
            ),
            vec![Number, Stealth]
        );
        assert_eq!(
            labels_of(
                &["Einleitung bleibt.", de],
                &["Einleitung bleibt.", &de.replace("Dienstag", "Mittwoch")]
            ),
            vec![Number, Stealth]
        );
        let es = "El Gobierno aprobará la reforma en marzo, dijo el ministro de Hacienda.";
        let es_new = "El Gobierno aprobará la reforma en marzo, según fuentes del partido.";
        assert_eq!(
            labels_of(&["Intro.", es], &["Intro.", es_new]),
            vec![Attribution, Stealth]
        );
        let fr = "« Nous ne céderons pas », a déclaré la maire de Lyon.";
        let fr_new = "« Nous ne reculerons jamais », a déclaré la maire de Lyon.";
        assert_eq!(
            labels_of(&["Intro.", fr], &["Intro.", fr_new]),
            vec![Quote, Stealth]
        );
        // German nouns are capitalised: a noun swapped is no name swap.
        let de2 = "Die Regierung plant neue Regeln für den Verkehr in der Stadt.";
        assert_eq!(
            labels_of(
                &["Einleitung bleibt.", de2],
                &["Einleitung bleibt.", &de2.replace("Verkehr", "Wohnungsbau")]
            ),
            vec![Stealth]
        );
    }

    #[test]
    fn speakers_after_german_verbs() {
        let intro = "Die Bahn und die Gewerkschaft verhandeln seit Wochen.";
        let old = "„Wir haben ein faires Angebot gemacht“, sagte ein Sprecher der Bahn am Dienstag in Berlin.";
        for new in [
            "„Wir haben ein faires Angebot gemacht“, sagte Vorstandschef Peter Hansen am Dienstag in Berlin.",
            "„Wir haben ein faires Angebot gemacht“, hieß es am Dienstag aus Unternehmenskreisen in Berlin.",
        ] {
            assert_eq!(
                labels_of(&[intro, old], &[intro, new]),
                vec![Attribution, Stealth],
                "{new}"
            );
        }
        let told = "Die Gespräche seien gescheitert, teilte ein Sprecher am Montag mit.";
        let told_new = "Die Gespräche seien gescheitert, teilte die Gewerkschaft am Montag mit.";
        assert_eq!(
            labels_of(&[intro, told], &[intro, told_new]),
            vec![Attribution, Stealth]
        );
    }

    #[test]
    fn one_rule_for_named_speakers() {
        let intro = "Veltra cut its forecast for the year on Tuesday.";
        let quote = "“We have to adjust our cost base to that reality,”";
        let said = |who: &str| format!("{quote} {who} told analysts on a call.");
        let case = |old: &str, new: &str| labels_of(&[intro, &said(old)], &[intro, &said(new)]);
        // Made anonymous: attribution, and the names that went with the
        // speaker are no swap.
        assert_eq!(
            case(
                "the chief executive, Martin Haber,",
                "a senior Veltra executive"
            ),
            vec![Attribution, Stealth]
        );
        assert_eq!(
            case(
                "a senior Veltra executive",
                "the chief executive, Martin Haber,"
            ),
            vec![Attribution, Stealth]
        );
        // Another person in the same role: a name swap only.
        assert_eq!(
            case(
                "the chief executive, Martin Haber,",
                "the chief executive, Ute Lindqvist,"
            ),
            vec![Name, Stealth]
        );
        // Another person in another role: both.
        assert_eq!(
            case(
                "the chief executive, Martin Haber,",
                "the chief financial officer, Ute Lindqvist,"
            ),
            vec![Attribution, Name, Stealth]
        );
        // The same rule in Spanish.
        let es = |who: &str| format!("«Cumpliremos el plan», dijo {who}.");
        let intro_es = "El Ayuntamiento presentó el plan el lunes.";
        let case_es =
            |old: &str, new: &str| labels_of(&[intro_es, &es(old)], &[intro_es, &es(new)]);
        assert_eq!(
            case_es("el alcalde Luis Ortega", "el alcalde Pablo Ruiz"),
            vec![Name, Stealth]
        );
        assert_eq!(
            case_es("el alcalde Luis Ortega", "la concejala Ana López"),
            vec![Attribution, Name, Stealth]
        );
        assert_eq!(
            case_es("el alcalde Luis Ortega", "un portavoz municipal"),
            vec![Attribution, Stealth]
        );
    }

    #[test]
    fn a_sentence_cut_from_a_quotation_is_a_quote_change_in_any_marks() {
        let intro = "The union rejected the offer on Monday.";
        for (old, new) in [
            (
                "\"The staff are at their limit. Without real relief nobody will choose this job any more,\" he said.",
                "\"The staff are at their limit,\" he said.",
            ),
            (
                "“The staff are at their limit. Without real relief nobody will choose this job any more,” he said.",
                "“The staff are at their limit,” he said.",
            ),
            (
                "„Die Beschäftigten sind am Limit. Ohne spürbare Entlastung wird niemand mehr diesen Beruf ergreifen“, sagte er.",
                "„Die Beschäftigten sind am Limit“, sagte er.",
            ),
            (
                "« Le personnel est à bout. Sans vrai soulagement, plus personne ne choisira ce métier », a-t-il dit.",
                "« Le personnel est à bout », a-t-il dit.",
            ),
        ] {
            assert_eq!(
                labels_of(&[intro, old], &[intro, new]),
                vec![Quote, Stealth],
                "{old}"
            );
            // The other way round: a sentence added to the quotation.
            assert_eq!(
                labels_of(&[intro, new], &[intro, old]),
                vec![Quote, Stealth],
                "{new}"
            );
        }
        // The whole quotation cut is a deletion.
        assert_eq!(
            labels_of(
                &[
                    intro,
                    "\"We tried for a week. Every slot was taken,\" said Laura Benton.",
                    "Talks resume on Friday."
                ],
                &[intro, "Talks resume on Friday."]
            ),
            vec![Quote, Deletion, Stealth]
        );
    }

    #[test]
    fn sentences_merged_or_split_with_a_connective_are_style() {
        let intro = "Sales fell for a third quarter.";
        let two = "The group sold 212,000 cars in the quarter, down 4 percent. Hybrids made up a fifth of sales.";
        let one = "The group sold 212,000 cars in the quarter, down 4 percent, and hybrids made up a fifth of sales.";
        assert_eq!(labels_of(&[intro, two], &[intro, one]), vec![Style]);
        assert_eq!(labels_of(&[intro, one], &[intro, two]), vec![Style]);
        let long = "The glacier lost 3 metres of ice last summer, the survey found, roughly twice the average.";
        let split = "The glacier lost 3 metres of ice last summer, the survey found. That is roughly twice the average.";
        assert_eq!(labels_of(&[intro, long], &[intro, split]), vec![Style]);
        let de = "Der Umsatz fiel um 4 Prozent. Der Gewinn stieg leicht.";
        let de_one = "Der Umsatz fiel um 4 Prozent, und der Gewinn stieg leicht.";
        assert_eq!(labels_of(&[intro, de], &[intro, de_one]), vec![Style]);
        // A merge that changes a word is more than style.
        let other = "The group sold 212,000 cars in the quarter, down 4 percent, but hybrids made up a fifth of revenue.";
        assert_eq!(labels_of(&[intro, two], &[intro, other]), vec![Stealth]);
    }

    #[test]
    fn rewrites() {
        let new_body = [
            "Rescue crews worked through the night as the flood waters slowly receded.",
            "Many families spent the night in a sports hall on the edge of town.",
            "Volunteers handed out blankets and hot meals to those forced to leave.",
            "The regional government promised emergency funds for repairs.",
            "Insurers said it was too early to estimate the cost of the damage.",
        ];
        let old = article("Floods force hundreds from their homes", "", &BODY);
        let new = article("Floods force hundreds from their homes", "", &new_body);
        assert_eq!(
            assess(&old, &new, Context::default()).labels,
            vec![Lede, Quote, Addition, Deletion, Rewrite, Stealth]
        );
    }
}
