//! The `[[alert]]` rules, compiled (query parsed, labels known, watch list
//! canonicalised as discovered URLs are), and which of them a change
//! matches. One rule matches when every filter it gives holds.

use std::collections::HashSet;

use redline_classify::Label;
use redline_config::Alert;
use redline_diff::ArticleText;
use redline_store::Change;
use redline_store::search::{self, ParsedQuery};

use crate::AlertError;

/// One rule, ready to match.
#[derive(Debug, Clone)]
pub struct Rule {
    pub alert: Alert,
    query: Option<ParsedQuery>,
    labels: Vec<Label>,
    /// The watch list's URLs, each under every form it may be stored as.
    articles: HashSet<String>,
}

/// Every rule of the configuration.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<Rule>,
}

/// The texts of a change, when a rule's query needs them: the version
/// before and the version after.
#[derive(Debug, Clone, Copy)]
pub struct Texts<'a> {
    pub before: Option<&'a ArticleText>,
    pub after: Option<&'a ArticleText>,
}

impl Rule {
    fn compile(alert: &Alert) -> Result<Rule, AlertError> {
        let bad = |key, message: String| AlertError::Rule {
            alert: alert.name.clone(),
            key,
            message,
        };
        let query = match &alert.query {
            Some(q) => Some(search::parse(q).map_err(|m| bad("query", m))?),
            None => None,
        };
        let mut labels = Vec::new();
        for name in &alert.labels {
            let label = Label::parse(name).ok_or_else(|| {
                bad(
                    "labels",
                    format!("{name:?} is not a label: {}", known_labels()),
                )
            })?;
            labels.push(label);
        }
        let mut articles = HashSet::new();
        for url in &alert.articles {
            let forms = redline_discover::lookup_candidates(url);
            if forms.is_empty() {
                return Err(bad("articles", format!("{url:?} is not an article's URL")));
            }
            articles.extend(forms);
        }
        Ok(Rule {
            alert: alert.clone(),
            query,
            labels,
            articles,
        })
    }

    pub fn name(&self) -> &str {
        &self.alert.name
    }

    /// Whether the rule needs the texts of a change to decide.
    pub fn needs_texts(&self) -> bool {
        self.query.is_some()
    }

    /// Whether `change` matches every filter of the rule. `texts` is read
    /// only by a rule with a query; a change without them does not match
    /// it.
    pub fn matches(&self, change: &Change, texts: Texts<'_>) -> Result<bool, AlertError> {
        let a = &self.alert;
        if !a.sources.is_empty() && !a.sources.contains(&change.source) {
            return Ok(false);
        }
        if let Some(min) = a.min_significance
            && change.significance < min
        {
            return Ok(false);
        }
        if !self.labels.is_empty() && !self.labels.iter().any(|l| change.labels.contains(l)) {
            return Ok(false);
        }
        if !self.articles.is_empty() {
            let watched = std::iter::once(&change.url)
                .chain(change.final_url.as_ref())
                .any(|u| self.articles.contains(u));
            if !watched {
                return Ok(false);
            }
        }
        if let Some(query) = &self.query {
            for text in [texts.after, texts.before].into_iter().flatten() {
                if query.matches(&change.source, &text.title, &text.paragraphs.join("\n"))? {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        Ok(true)
    }
}

fn known_labels() -> String {
    let names: Vec<&str> = Label::ALL.iter().map(|l| l.as_str()).collect();
    format!("use one of {}", names.join(", "))
}

impl Rules {
    /// Compiles the configuration's rules; the error names the alert and
    /// the key at fault.
    pub fn compile(alerts: &[Alert]) -> Result<Rules, AlertError> {
        Ok(Rules {
            rules: alerts.iter().map(Rule::compile).collect::<Result<_, _>>()?,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter()
    }

    pub fn get(&self, name: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.name() == name)
    }

    pub fn names(&self) -> Vec<String> {
        self.rules.iter().map(|r| r.name().to_string()).collect()
    }

    /// Whether any rule needs the texts of a change.
    pub fn need_texts(&self) -> bool {
        self.rules.iter().any(Rule::needs_texts)
    }

    /// The rules `change` matches, by name.
    pub fn matching(&self, change: &Change, texts: Texts<'_>) -> Result<Vec<&str>, AlertError> {
        let mut names = Vec::new();
        for rule in &self.rules {
            if rule.matches(change, texts)? {
                names.push(rule.name());
            }
        }
        Ok(names)
    }
}
