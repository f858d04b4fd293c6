//! The words of one workspace's reports: the labels of each language and the lever
//! catalogue, built in, with the workspace's overrides applied.
//!
//! `levier templates eject` writes `templates/i18n/fr.toml`, `templates/i18n/en.toml`
//! and `templates/levers.toml` into a workspace; a consultant edits them to reword a
//! label, a finding's text or a lever's description. An override is merged key by key
//! over the built-in file, so a workspace may keep only the keys it changes, and a
//! later version of levier that adds a label still finds it. A key the built-in file
//! does not have would change nothing, so it is a warning naming its line (with the
//! closest known key), as is a `{placeholder}` levier does not fill; a file that is not
//! valid TOML, or a value that is not text, is an error.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Labels;
use crate::diagnostic::{Diagnostic, Location};
use crate::levers::{Lever, LeverText};
use crate::vocab::Language;

/// The files a workspace may override, by their path under `templates/`.
pub const LABELS_FR: &str = "i18n/fr.toml";
pub const LABELS_EN: &str = "i18n/en.toml";
pub const LEVERS: &str = "levers.toml";

/// The labels of every report language and the lever catalogue of one workspace.
#[derive(Debug, Clone)]
pub struct Texts {
    fr: Labels,
    en: Labels,
    levers: BTreeMap<String, Lever>,
}

/// A workspace's copy of one of the files above.
#[derive(Debug, Clone, Copy)]
pub struct Override<'a> {
    /// Its path under `templates/` ([`LABELS_FR`], [`LABELS_EN`] or [`LEVERS`]).
    pub name: &'a str,
    pub text: &'a str,
    /// The file on disk, for diagnostics.
    pub path: &'a Path,
}

impl Texts {
    /// levier's own texts, shared by every engagement that overrides nothing.
    pub fn builtin() -> Arc<Texts> {
        static BUILTIN: OnceLock<Arc<Texts>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                Arc::new(Texts {
                    fr: Labels::builtin(Language::Fr).clone(),
                    en: Labels::builtin(Language::En).clone(),
                    levers: crate::levers::catalogue().clone(),
                })
            })
            .clone()
    }

    /// The built-in texts with `overrides` merged over them. Files other than the three
    /// above are ignored (they are templates).
    pub fn with_overrides(overrides: &[Override<'_>]) -> (Arc<Texts>, Vec<Diagnostic>) {
        let relevant: Vec<&Override<'_>> = overrides
            .iter()
            .filter(|o| [LABELS_FR, LABELS_EN, LEVERS].contains(&o.name))
            .collect();
        if relevant.is_empty() {
            return (Texts::builtin(), Vec::new());
        }
        let mut texts = Texts::builtin().as_ref().clone();
        let mut diagnostics = Vec::new();
        for o in relevant {
            match o.name {
                LABELS_FR => merge_labels(&mut texts.fr, o, &mut diagnostics),
                LABELS_EN => merge_labels(&mut texts.en, o, &mut diagnostics),
                _ => merge_levers(&mut texts.levers, o, &mut diagnostics),
            }
        }
        (Arc::new(texts), diagnostics)
    }

    /// The labels of a report language.
    pub fn labels(&self, language: Language) -> &Labels {
        match language {
            Language::Fr => &self.fr,
            Language::En => &self.en,
        }
    }

    /// The lever catalogue, by lever id.
    pub fn levers(&self) -> &BTreeMap<String, Lever> {
        &self.levers
    }
}

/// A text value of an override file, by dotted key, with the spans of its key and value.
struct Entry {
    key: String,
    key_span: std::ops::Range<usize>,
    value: Result<String, &'static str>,
    value_span: std::ops::Range<usize>,
}

/// Every leaf of an override file, in the file's order; `None` (with the error
/// reported) when it is not TOML.
fn entries(o: &Override<'_>, diagnostics: &mut Vec<Diagnostic>) -> Option<Vec<Entry>> {
    let table = match DeTable::parse(o.text) {
        Ok(table) => table,
        Err(e) => {
            let mut d = Diagnostic::error(format!(
                "invalid TOML in the override `templates/{}`: {}",
                o.name,
                e.message().trim_end_matches('\n')
            ))
            .in_file(o.path);
            if let Some(span) = e.span() {
                d = d.at(Location::from_span(o.text, span));
            }
            diagnostics.push(d);
            return None;
        }
    };
    let mut out = Vec::new();
    // Tables nest as deep as the file says: walked with a stack, not by recursion.
    let mut pending: Vec<(String, &DeTable<'_>)> = vec![(String::new(), table.get_ref())];
    while let Some((prefix, table)) = pending.pop() {
        let mut children = Vec::new();
        for (key, value) in table.iter() {
            let dotted = if prefix.is_empty() {
                key.get_ref().to_string()
            } else {
                format!("{prefix}.{}", key.get_ref())
            };
            leaf_or_table(dotted, key, value, &mut out, &mut children);
        }
        pending.extend(children.into_iter().rev());
    }
    out.sort_by_key(|e| e.key_span.start);
    Some(out)
}

fn leaf_or_table<'t, 's>(
    dotted: String,
    key: &Spanned<std::borrow::Cow<'s, str>>,
    value: &'t Spanned<DeValue<'s>>,
    out: &mut Vec<Entry>,
    children: &mut Vec<(String, &'t DeTable<'s>)>,
) {
    match value.get_ref() {
        DeValue::Table(t) => children.push((dotted, t)),
        other => out.push(Entry {
            key: dotted,
            key_span: key.span(),
            value: match other {
                DeValue::String(s) => Ok(s.to_string()),
                other => Err(other.type_str()),
            },
            value_span: value.span(),
        }),
    }
}

/// `{name}` placeholders of a label.
fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                if !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
                {
                    found.insert(name);
                }
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    found
}

fn merge_labels(labels: &mut Labels, o: &Override<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let Some(entries) = entries(o, diagnostics) else {
        return;
    };
    let builtin = Labels::builtin(labels.language());
    for entry in entries {
        let Some(known) = builtin.entries.get(&entry.key) else {
            diagnostics.push(unknown(o, &entry, "label", builtin.keys()));
            continue;
        };
        let text = match entry.value {
            Ok(text) => text,
            Err(found) => {
                diagnostics.push(not_text(o, &entry, found));
                continue;
            }
        };
        let filled = placeholders(known);
        let stray: Vec<&str> = placeholders(&text)
            .into_iter()
            .filter(|p| !filled.contains(p))
            .collect();
        if !stray.is_empty() {
            let available: Vec<String> = filled.iter().map(|p| format!("`{{{p}}}`")).collect();
            diagnostics.push(
                Diagnostic::warning(format!(
                    "label `{}` uses {} that levier does not fill: the report would show it as written",
                    entry.key,
                    stray
                        .iter()
                        .map(|p| format!("`{{{p}}}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .in_file(o.path)
                .at(Location::from_span(o.text, entry.value_span.clone()))
                .help(if available.is_empty() {
                    "this label has no placeholders".to_string()
                } else {
                    format!("this label can use {}", available.join(", "))
                }),
            );
        }
        labels.entries.insert(entry.key, text);
    }
}

fn merge_levers(
    levers: &mut BTreeMap<String, Lever>,
    o: &Override<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(entries) = entries(o, diagnostics) else {
        return;
    };
    let known_keys: Vec<String> = crate::levers::catalogue()
        .keys()
        .flat_map(|id| {
            ["fr", "en"].into_iter().flat_map(move |lang| {
                ["label", "description"]
                    .into_iter()
                    .map(move |field| format!("{id}.{lang}.{field}"))
            })
        })
        .collect();
    for entry in entries {
        let parts: Vec<&str> = entry.key.split('.').collect();
        let target = match parts.as_slice() {
            [id, lang, field] => levers.get_mut(*id).and_then(|lever| {
                let text: &mut LeverText = match *lang {
                    "fr" => &mut lever.fr,
                    "en" => &mut lever.en,
                    _ => return None,
                };
                match *field {
                    "label" => Some(&mut text.label),
                    "description" => Some(&mut text.description),
                    _ => None,
                }
            }),
            // A fitted sentence (`training.fr.fit.R9`) may be reworded, for a rule the
            // built-in catalogue fits the lever to.
            [id, lang, "fit", rule] => levers.get_mut(*id).and_then(|lever| {
                let text: &mut LeverText = match *lang {
                    "fr" => &mut lever.fr,
                    "en" => &mut lever.en,
                    _ => return None,
                };
                text.fit.get_mut(*rule)
            }),
            _ => None,
        };
        let Some(target) = target else {
            diagnostics.push(unknown(
                o,
                &entry,
                "lever text",
                known_keys.iter().map(String::as_str),
            ));
            continue;
        };
        match entry.value {
            Ok(text) if !text.trim().is_empty() => *target = text,
            Ok(_) => diagnostics.push(
                Diagnostic::error(format!("`{}` is empty", entry.key))
                    .in_file(o.path)
                    .at(Location::from_span(o.text, entry.value_span.clone()))
                    .help("write the text, or remove the key to keep levier's own"),
            ),
            Err(found) => diagnostics.push(not_text(o, &entry, found)),
        }
    }
}

fn unknown<'a>(
    o: &Override<'_>,
    entry: &Entry,
    what: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    Diagnostic::warning(format!(
        "unknown {what} `{}` in `templates/{}`: it changes nothing",
        entry.key, o.name
    ))
    .in_file(o.path)
    .at(Location::from_span(o.text, entry.key_span.clone()))
    .suggest(&entry.key, known)
    .note("`levier templates eject --workspace <empty folder>` writes the built-in file, with every key, to compare")
}

fn not_text(o: &Override<'_>, entry: &Entry, found: &str) -> Diagnostic {
    Diagnostic::error(format!("`{}` must be text", entry.key))
        .in_file(o.path)
        .at(Location::from_span(o.text, entry.value_span.clone()))
        .label(format!("found {found}"))
        .help("put the text between double quotes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(name: &str, text: &str) -> (Arc<Texts>, Vec<Diagnostic>) {
        Texts::with_overrides(&[Override {
            name,
            text,
            path: Path::new("ws/templates/x.toml"),
        }])
    }

    #[test]
    fn a_label_override_changes_that_label_only() {
        let builtin = Labels::builtin(Language::Fr);
        let key = builtin.keys().find(|k| k.starts_with("report.")).unwrap();
        let (texts, found) = with(
            LABELS_FR,
            &format!(
                "[{}]\n{} = \"Mon libellé\"\n",
                key.rsplit_once('.').unwrap().0,
                key.rsplit_once('.').unwrap().1
            ),
        );
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(texts.labels(Language::Fr).get(key), "Mon libellé");
        assert_eq!(
            texts.labels(Language::En).get(key),
            Labels::builtin(Language::En).get(key)
        );
        let other = builtin.keys().find(|k| *k != key).unwrap();
        assert_eq!(texts.labels(Language::Fr).get(other), builtin.get(other));
    }

    #[test]
    fn an_ejected_copy_changes_nothing_and_warns_about_nothing() {
        let (texts, found) = with(LABELS_EN, include_str!("../../templates/i18n/en.toml"));
        assert!(found.is_empty(), "{found:?}");
        let (levers, found) = with(LEVERS, crate::levers::BUILTIN);
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(levers.levers(), crate::levers::catalogue());
        assert_eq!(
            texts.labels(Language::En).keys().count(),
            Labels::builtin(Language::En).keys().count()
        );
    }

    #[test]
    fn unknown_keys_and_stray_placeholders_are_warned_with_their_line() {
        let (_, found) = with(
            LABELS_FR,
            "[report]\ntitel = \"x\"\n\n[findings.R1]\ntitle = \"Écart {nope}\"\n",
        );
        let text: Vec<String> = found.iter().map(|d| format!("{d:?}")).collect();
        assert_eq!(found.len(), 2, "{text:#?}");
        assert!(found.iter().all(|d| !d.is_error()), "{text:#?}");
        assert!(found[0].message.contains("report.titel"), "{text:#?}");
        assert_eq!(found[0].location.as_ref().unwrap().line, 2);
        assert!(found[1].message.contains("{nope}"), "{text:#?}");
        assert_eq!(found[1].location.as_ref().unwrap().line, 5);
    }

    #[test]
    fn a_lever_description_can_be_reworded_and_unknown_levers_are_warned() {
        let (texts, found) = with(
            LEVERS,
            "[training.fr]\ndescription = \"Former l'équipe chaque trimestre.\"\n\n[trainning.fr]\nlabel = \"x\"\n",
        );
        assert_eq!(
            texts.levers()["training"].fr.description,
            "Former l'équipe chaque trimestre."
        );
        assert_eq!(
            texts.levers()["training"].fr.label,
            crate::levers::catalogue()["training"].fr.label
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("trainning.fr.label"), "{found:?}");
        assert!(
            found[0]
                .help
                .iter()
                .any(|h| h.contains("training.fr.label")),
            "{found:?}"
        );
    }

    /// Issue 9: a hostile override (tables or arrays nested thousands deep) is refused
    /// or warned, never a stack overflow: overrides are walked without recursion.
    #[test]
    fn deeply_nested_overrides_do_not_overflow() {
        let deep_tables = format!("[{}]\nx = \"y\"\n", vec!["t"; 300_000].join("."));
        let (_, found) = with(LABELS_FR, &deep_tables);
        assert!(!found.is_empty());
        let deep_arrays = format!("x = {}1{}\n", "[".repeat(5000), "]".repeat(5000));
        let (_, found) = with(LABELS_FR, &deep_arrays);
        assert!(!found.is_empty());
        let deep_inline = format!("x = {}{}\n", "{a = ".repeat(5000), "}".repeat(5000));
        let (_, found) = with(LEVERS, &deep_inline);
        assert!(!found.is_empty());
    }

    #[test]
    fn invalid_toml_or_a_number_for_a_label_is_an_error() {
        let (_, found) = with(LABELS_FR, "[report\n");
        assert!(found.iter().any(Diagnostic::is_error), "{found:?}");
        let (_, found) = with(LEVERS, "[training.fr]\nlabel = 3\n");
        assert!(found.iter().any(Diagnostic::is_error), "{found:?}");
        assert_eq!(found[0].location.as_ref().unwrap().line, 2);
    }
}
