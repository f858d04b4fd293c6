//! Dense accumulators keyed by an optional [`Label`]: the hot loops of the analyses add
//! into a `Vec` indexed by label id (slot 0 for "no label"), and names are resolved once
//! at the end. This avoids hashing or allocating a `String` per sales line.

use std::collections::BTreeMap;

use crate::engagement::{Engagement, Label};

/// The key of an empty rep, product, zone or segment.
pub const UNKNOWN: &str = "unknown";

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

/// Resolves the used slots to names, merging accumulators that share a name (a label
/// literally written "unknown" joins the empty ones).
pub fn resolve<T>(
    e: &Engagement,
    accumulators: Vec<T>,
    used: impl Fn(&T) -> bool,
    merge: impl Fn(&mut T, T),
) -> BTreeMap<String, T> {
    let mut out: BTreeMap<String, T> = BTreeMap::new();
    for (i, acc) in accumulators.into_iter().enumerate() {
        if !used(&acc) {
            continue;
        }
        let name = slot_name(e, i);
        match out.get_mut(name) {
            Some(existing) => merge(existing, acc),
            None => {
                out.insert(name.to_string(), acc);
            }
        }
    }
    out
}
