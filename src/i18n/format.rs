//! Numbers, money, percentages and dates written for the report's reader.
//!
//! Digits and dates come from CLDR through ICU4X (grouping with a narrow no-break space
//! and a decimal comma in French, `30 septembre 2025`), so a French director reads
//! `1 234 567 €` and `12,5 %`, an English one `€1,234,567` and `12.5%`. Rounding is done
//! first with exact decimals, half away from zero, as in metrics.json, so the report and
//! metrics.json never disagree on a figure.

use chrono::{Datelike, NaiveDate};
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::{YM, YMD};
use icu_datetime::input::Date;
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal as IcuDecimal;
use icu_locale_core::{Locale, locale};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::vocab::Language;

/// U+202F, CLDR's separator before `%` in French.
const NNBSP: char = '\u{202f}';
/// U+00A0, CLDR's separator before the currency sign in French.
const NBSP: char = '\u{a0}';

/// Formats figures for one language. Build once per report.
pub struct Formatter {
    language: Language,
    decimal: DecimalFormatter,
    date: DateTimeFormatter<YMD>,
    month: DateTimeFormatter<YM>,
}

impl std::fmt::Debug for Formatter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Formatter")
            .field("language", &self.language)
            .finish()
    }
}

fn locale_of(language: Language) -> Locale {
    match language {
        Language::Fr => locale!("fr"),
        // British English: the English edition is written in UK spelling, and dates read
        // "30 September 2025" as they do in the French edition.
        Language::En => locale!("en-GB"),
    }
}

fn round(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

impl Formatter {
    pub fn new(language: Language) -> Formatter {
        let locale = locale_of(language);
        Formatter {
            language,
            decimal: DecimalFormatter::try_new((&locale).into(), Default::default())
                .expect("ICU4X ships decimal data for fr and en"),
            date: DateTimeFormatter::try_new((&locale).into(), YMD::long())
                .expect("ICU4X ships date data for fr and en"),
            month: DateTimeFormatter::try_new((&locale).into(), YM::medium())
                .expect("ICU4X ships date data for fr and en"),
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// What a figure that cannot be computed shows: "n.d." / "n/a".
    pub fn not_available(&self) -> &'static str {
        match self.language {
            Language::Fr => "n.d.",
            Language::En => "n/a",
        }
    }

    /// A number with exactly `dp` decimals, grouped: `1 234,5`.
    pub fn number(&self, value: Decimal, dp: u32) -> String {
        let rounded = round(value, dp);
        let mut icu: IcuDecimal = rounded
            .to_string()
            .parse()
            .expect("a rust_decimal prints as a parsable decimal");
        icu.pad_end(-(dp as i16));
        self.decimal.format(&icu).to_string()
    }

    /// A whole count: `1 234`.
    pub fn count(&self, n: u64) -> String {
        self.number(Decimal::from(n), 0)
    }

    fn currency_symbol(currency: &str) -> &str {
        match currency {
            "EUR" => "€",
            "USD" => "$",
            "GBP" => "£",
            other => other,
        }
    }

    fn with_currency(&self, number: String, currency: &str) -> String {
        let symbol = Formatter::currency_symbol(currency);
        let is_sign = symbol.chars().count() == 1;
        match self.language {
            Language::Fr => format!("{number}{NBSP}{symbol}"),
            Language::En if is_sign => match number.strip_prefix('-') {
                Some(abs) => format!("-{symbol}{abs}"),
                None => format!("{symbol}{number}"),
            },
            Language::En => format!("{symbol}{NBSP}{number}"),
        }
    }

    /// Money in whole units, as reports show revenue: `1 234 567 €`.
    pub fn money(&self, value: Decimal, currency: &str) -> String {
        self.with_currency(self.number(value, 0), currency)
    }

    /// Money to the cent, for unit figures such as a cost per lead: `37,50 €`.
    pub fn money_cents(&self, value: Decimal, currency: &str) -> String {
        self.with_currency(self.number(value, 2), currency)
    }

    /// Money in thousands or millions, for KPI tiles and chart axes: `1,2 M€`, `850 k€`.
    pub fn money_compact(&self, value: Decimal, currency: &str) -> String {
        let abs = value.abs();
        let (scaled, suffix) = if abs >= Decimal::from(1_000_000) {
            (value / Decimal::from(1_000_000), "M")
        } else if abs >= Decimal::from(1_000) {
            (value / Decimal::from(1_000), "k")
        } else {
            return self.money(value, currency);
        };
        let dp = if scaled.abs() >= Decimal::from(100) {
            0
        } else {
            1
        };
        let number = self.number(scaled, dp);
        let symbol = Formatter::currency_symbol(currency);
        match self.language {
            Language::Fr => format!("{number}{NBSP}{suffix}{symbol}"),
            Language::En => match number.strip_prefix('-') {
                Some(abs) => format!("-{symbol}{abs}{suffix}"),
                None => format!("{symbol}{number}{suffix}"),
            },
        }
    }

    /// A share as a percentage with `dp` decimals: `12,5 %` / `12.5%`.
    pub fn percent(&self, share: Decimal, dp: u32) -> String {
        let number = self.number(share * Decimal::ONE_HUNDRED, dp);
        match self.language {
            Language::Fr => format!("{number}{NNBSP}%"),
            Language::En => format!("{number}%"),
        }
    }

    /// The share of the year elapsed at the data's date, as a whole percentage (`75 %`):
    /// the dashboard's mark, every section that dates its figures and a note's
    /// `{{ elapsed_share }}` write it this one way.
    pub fn elapsed(&self, share: Decimal) -> String {
        self.percent(share, 0)
    }

    /// Whether a noun counted by `n` takes the singular: French agrees from 2 ("0 affaire",
    /// "1,5 affaire"), English only for 1.
    pub fn is_singular(&self, n: Decimal) -> bool {
        match self.language {
            Language::Fr => n.abs() < Decimal::TWO,
            Language::En => n.abs() == Decimal::ONE,
        }
    }

    /// A projected count: one decimal unless it rounds to a whole number (`64,2`, `60`).
    pub fn projected_count(&self, count: Decimal) -> String {
        let rounded = round(count, 1);
        self.number(rounded, if rounded.fract().is_zero() { 0 } else { 1 })
    }

    /// A change as a signed percentage: `+12,5 %`, `−3,0 %`.
    pub fn growth(&self, rate: Decimal) -> String {
        let text = self.percent(rate, 1);
        if round(rate * Decimal::ONE_HUNDRED, 1) > Decimal::ZERO {
            format!("+{text}")
        } else {
            text
        }
    }

    /// A gap in percentage points: `+3,2 pts`.
    pub fn points(&self, pts: Decimal) -> String {
        let number = self.number(pts, 1);
        let sign = if round(pts, 1) > Decimal::ZERO {
            "+"
        } else {
            ""
        };
        format!("{sign}{number}{NBSP}pts")
    }

    /// A date in full: `30 septembre 2025` / `30 September 2025`.
    pub fn date(&self, date: NaiveDate) -> String {
        let text = match Date::try_new_iso(date.year(), date.month() as u8, date.day() as u8) {
            Ok(d) => self.date.format(&d).to_string(),
            Err(_) => date.to_string(),
        };
        // French writes the first of the month as an ordinal: 1er janvier.
        match (self.language, text.strip_prefix("1 ")) {
            (Language::Fr, Some(rest)) if date.day() == 1 => format!("1er {rest}"),
            _ => text,
        }
    }

    /// A month and year, for chart axes and tables: `sept. 2025` / `Sep 2025`.
    pub fn month(&self, date: NaiveDate) -> String {
        match Date::try_new_iso(date.year(), date.month() as u8, 1) {
            Ok(d) => self.month.format(&d).to_string(),
            Err(_) => date.format("%Y-%m").to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn french_follows_cldr() {
        let f = Formatter::new(Language::Fr);
        assert_eq!(
            f.money(d("1234567.4"), "EUR"),
            "1\u{202f}234\u{202f}567\u{a0}€"
        );
        assert_eq!(f.money_cents(d("37.5"), "EUR"), "37,50\u{a0}€");
        assert_eq!(f.percent(d("0.125"), 1), "12,5\u{202f}%");
        assert_eq!(f.growth(d("0.0812")), "+8,1\u{202f}%");
        assert_eq!(f.growth(d("-0.03")), "-3,0\u{202f}%");
        assert_eq!(
            f.date(NaiveDate::from_ymd_opt(2025, 9, 30).unwrap()),
            "30 septembre 2025"
        );
        assert_eq!(f.money_compact(d("1234567"), "EUR"), "1,2\u{a0}M€");
        assert_eq!(
            f.date(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()),
            "1er janvier 2025"
        );
        assert_eq!(f.money_compact(d("850000"), "EUR"), "850\u{a0}k€");
        assert_eq!(f.points(d("-12.34")), "-12,3\u{a0}pts");
        assert_eq!(f.not_available(), "n.d.");
    }

    #[test]
    fn english_follows_cldr() {
        let f = Formatter::new(Language::En);
        assert_eq!(f.money(d("1234567.4"), "EUR"), "€1,234,567");
        assert_eq!(f.money(d("-1234"), "EUR"), "-€1,234");
        assert_eq!(f.percent(d("0.125"), 1), "12.5%");
        assert_eq!(
            f.date(NaiveDate::from_ymd_opt(2025, 9, 30).unwrap()),
            "30 September 2025"
        );
        assert_eq!(f.money_compact(d("1234567"), "USD"), "$1.2M");
        assert_eq!(f.money(d("10"), "CHF"), "CHF\u{a0}10");
    }

    #[test]
    fn rounding_is_half_away_from_zero_like_metrics_json() {
        let f = Formatter::new(Language::En);
        assert_eq!(f.number(d("2.345"), 2), "2.35");
        assert_eq!(f.number(d("-2.345"), 2), "-2.35");
        assert_eq!(f.number(d("0.5"), 0), "1");
    }

    /// "60 against an objective of 60, 100,3 % projected" read as an error: a projected
    /// count keeps the decimal that explains its achievement.
    #[test]
    fn a_projected_count_keeps_one_decimal_unless_it_is_whole() {
        let fr = Formatter::new(Language::Fr);
        assert_eq!(fr.projected_count(d("60.1604")), "60,2");
        assert_eq!(fr.projected_count(d("64.96")), "65");
        assert_eq!(fr.projected_count(d("481")), "481");
        assert_eq!(fr.projected_count(d("1203.25")), "1\u{202f}203,3");
        let en = Formatter::new(Language::En);
        assert_eq!(en.projected_count(d("29.41")), "29.4");
    }
}
