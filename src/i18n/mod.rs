//! The reader's language: every label a report shows, in French and English, from
//! `templates/i18n/<lang>.toml`, and ([`format`]) how figures and dates are written.
//!
//! A shared leaf below the pipeline: the assessment writes finding texts and status
//! labels into metrics.json, the presentation writes the report, and the renderers
//! format chart ticks, all in the same words and with the same digits, so nothing here
//! may depend on a stage.
//!
//! No user-facing label lives in code: the translation files are data, embedded in the
//! binary, so wording can change without touching the analyses. Labels may hold
//! `{name}` placeholders, filled with already-formatted figures.

pub mod format;
pub mod texts;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::vocab::Language;

pub use format::Formatter;
pub use texts::Texts;

const FR: &str = include_str!("../../templates/i18n/fr.toml");
const EN: &str = include_str!("../../templates/i18n/en.toml");

/// The labels of one language, by dotted key (`sections.diagnostic`).
#[derive(Debug, Clone)]
pub struct Labels {
    language: Language,
    entries: BTreeMap<String, String>,
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(t) => flatten(&path, t, out),
            toml::Value::String(s) => {
                out.insert(path, s.clone());
            }
            other => {
                out.insert(path, other.to_string());
            }
        }
    }
}

fn parse(source: &str) -> BTreeMap<String, String> {
    let table: toml::Table = toml::from_str(source).expect("built-in translations are valid TOML");
    let mut entries = BTreeMap::new();
    flatten("", &table, &mut entries);
    entries
}

impl Labels {
    /// The built-in labels of a language (parsed once per process).
    pub fn builtin(language: Language) -> &'static Labels {
        static FR_LABELS: OnceLock<Labels> = OnceLock::new();
        static EN_LABELS: OnceLock<Labels> = OnceLock::new();
        let (cell, source) = match language {
            Language::Fr => (&FR_LABELS, FR),
            Language::En => (&EN_LABELS, EN),
        };
        cell.get_or_init(|| Labels {
            language,
            entries: parse(source),
        })
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// The label for `key`. A missing key shows as the key itself, which the tests
    /// forbid for built-in keys, rather than failing a client's build.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.entries.get(key).map_or(key, String::as_str)
    }

    pub fn has(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// The label for `key` with `{name}` placeholders replaced.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.get(key), values)
    }

    /// Every key, for checks.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }
}

/// `s` with its first letter upper-cased: labels are lower case inside sentences
/// (`conquête`), and a title or a table row may start with one.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Replaces `{name}` placeholders in `template`.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_english_have_the_same_keys() {
        let fr: Vec<&str> = Labels::builtin(Language::Fr).keys().collect();
        let en: Vec<&str> = Labels::builtin(Language::En).keys().collect();
        let only_fr: Vec<_> = fr.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !fr.contains(k)).collect();
        assert!(
            only_fr.is_empty() && only_en.is_empty(),
            "fr only: {only_fr:?}, en only: {only_en:?}"
        );
    }

    #[test]
    fn placeholders_in_both_languages_match() {
        let fr = Labels::builtin(Language::Fr);
        let en = Labels::builtin(Language::En);
        let names = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .collect();
            v.sort();
            v
        };
        for key in fr.keys() {
            assert_eq!(
                names(fr.get(key)),
                names(en.get(key)),
                "placeholders differ for {key}"
            );
        }
    }

    #[test]
    fn fill_replaces_known_placeholders_only() {
        assert_eq!(
            fill("{a} et {b} {c}", &[("a", "1"), ("b", "2")]),
            "1 et 2 {c}"
        );
        assert_eq!(fill("pas de fin {", &[]), "pas de fin {");
    }
}
