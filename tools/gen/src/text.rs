//! French formatting of figures and `{{placeholder}}` templating for notes.
//!
//! Notes quote figures ("le premier client pèse 24,6 % du CA") computed from the very
//! data generated, so the consultant's prose never contradicts the tables.

use std::collections::BTreeMap;

use crate::model::Cents;

/// `2 481 350 €` (rounded to the euro, NBSP thousands separators).
pub fn eur(c: Cents) -> String {
    let euros = (c as f64 / 100.0).round() as i64;
    let s = crate::csvfmt::fmt_cents(euros * 100, ',', Some('\u{a0}'));
    format!("{}\u{a0}€", s.trim_end_matches(",00"))
}

/// An integer with NBSP thousands separators: `1 463`.
pub fn int(n: i64) -> String {
    crate::csvfmt::fmt_cents(n * 100, ',', Some('\u{a0}'))
        .trim_end_matches(",00")
        .to_string()
}

/// `2,48 M€` / `412 k€`.
pub fn short_eur(c: Cents) -> String {
    let x = c as f64 / 100.0;
    if x.abs() >= 1_000_000.0 {
        format!("{}\u{a0}M€", dec(x / 1_000_000.0, 2))
    } else {
        format!("{}\u{a0}k€", dec(x / 1000.0, 0))
    }
}

/// A number with `digits` decimals and a decimal comma.
pub fn dec(x: f64, digits: usize) -> String {
    format!("{x:.digits$}").replace('.', ",")
}

/// `24,6 %`.
pub fn pct(x: f64) -> String {
    format!("{}\u{a0}%", dec(x * 100.0, 1))
}

/// An integer with TOML digit separators: `3550000` -> `3_550_000`.
pub fn toml_int(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.char_indices() {
        if i > 0 && &s[..i] != "-" && (s.len() - i).is_multiple_of(3) {
            out.push('_');
        }
        out.push(ch);
    }
    out
}

/// Replace every `{{key}}` of `template`; panics on an unknown key (a template bug).
pub fn render(template: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let j = rest[i..].find("}}").expect("closed placeholder") + i;
        let key = &rest[i + 2..j];
        // `{{ revenue.total }}`, with spaces, is levier's own placeholder: the figure is
        // put there by levier when it builds the report, so the example's prose can never
        // drift from its data. `{{name}}` is the generator's, for facts that are not
        // figures of metrics.json (a client's name, a budget).
        if key.starts_with(' ') {
            out.push_str(&rest[i..j + 2]);
        } else {
            let value = vars
                .get(key)
                .unwrap_or_else(|| panic!("unknown placeholder {key}"));
            out.push_str(value);
        }
        rest = &rest[j + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(eur(248_135_049), "2\u{a0}481\u{a0}350\u{a0}€");
        assert_eq!(pct(0.2461), "24,6\u{a0}%");
        assert_eq!(toml_int(3_550_000), "3_550_000");
        assert_eq!(toml_int(950), "950");
        assert_eq!(short_eur(248_135_049), "2,48\u{a0}M€");
        let mut v = BTreeMap::new();
        v.insert("a".to_string(), "x".to_string());
        assert_eq!(render("1 {{a}} 2", &v), "1 x 2");
        assert_eq!(
            render("{{ revenue.total }} {{a}}", &v),
            "{{ revenue.total }} x"
        );
    }
}
