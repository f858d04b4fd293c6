//! Dense accumulators keyed by an optional [`Label`]: the hot loops of the analyses add
//! into a `Vec` indexed by label id (slot 0 for "no label"), and names are resolved once
//! at the end into [`CutKey`]s. This avoids hashing or allocating a `String` per sales
//! line.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::engagement::{Engagement, Label};

/// How metrics.json writes the key of an empty rep, product, zone or segment.
pub const UNKNOWN: &str = "unknown";

/// The key of a cut of the figures (a rep, product, zone, segment, visit target): the
/// name written in the data, or [`CutKey::Unknown`] for the lines that have none.
///
/// The report shows `Unknown` in the reader's words and never takes it for a
/// salesperson. metrics.json writes it `unknown`, and keys sort by how they are
/// written, so maps of cuts keep metrics.json's order; a name literally written
/// "unknown" is the same key (the data cannot tell them apart).
#[derive(Debug, Clone)]
pub enum CutKey {
    Named(String),
    Unknown,
}

impl CutKey {
    /// The key of `name` as read from the data.
    pub fn named(name: &str) -> CutKey {
        if name == UNKNOWN {
            CutKey::Unknown
        } else {
            CutKey::Named(name.to_string())
        }
    }

    /// As written in metrics.json.
    pub fn as_str(&self) -> &str {
        match self {
            CutKey::Named(name) => name,
            CutKey::Unknown => UNKNOWN,
        }
    }

    /// The name, unless the key is [`CutKey::Unknown`].
    pub fn name(&self) -> Option<&str> {
        match self {
            CutKey::Named(name) => Some(name),
            CutKey::Unknown => None,
        }
    }
}

impl PartialEq for CutKey {
    fn eq(&self, other: &CutKey) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for CutKey {}

impl PartialOrd for CutKey {
    fn partial_cmp(&self, other: &CutKey) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CutKey {
    fn cmp(&self, other: &CutKey) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for CutKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

/// Maps of cuts are looked up by the name as written (`split_by_rep.get("SL")`);
/// equality, order and hash are those of [`CutKey::as_str`], as `Borrow` requires.
impl Borrow<str> for CutKey {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for CutKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CutKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The slot of an optional label: 0 for `None`, `id + 1` otherwise.
#[inline]
pub fn slot(label: Option<Label>) -> usize {
    label.map_or(0, |l| l.0 as usize + 1)
}

/// One accumulator per possible slot of `e`'s labels.
pub fn slots<T: Clone>(e: &Engagement, init: T) -> Vec<T> {
    vec![init; e.labels.len() + 1]
}

/// The name of a slot: the label's text, or [`UNKNOWN`].
pub fn slot_name(e: &Engagement, slot: usize) -> &str {
    if slot == 0 {
        UNKNOWN
    } else {
        e.labels.name(slot as u32 - 1)
    }
}

/// Resolves the used slots to keys, merging accumulators that share one (a label
/// literally written "unknown" joins the empty ones).
pub fn resolve<T>(
    e: &Engagement,
    accumulators: Vec<T>,
    used: impl Fn(&T) -> bool,
    merge: impl Fn(&mut T, T),
) -> BTreeMap<CutKey, T> {
    let mut out: BTreeMap<CutKey, T> = BTreeMap::new();
    for (i, acc) in accumulators.into_iter().enumerate() {
        if !used(&acc) {
            continue;
        }
        let name = slot_name(e, i);
        match out.get_mut(name) {
            Some(existing) => merge(existing, acc),
            None => {
                out.insert(CutKey::named(name), acc);
            }
        }
    }
    out
}
