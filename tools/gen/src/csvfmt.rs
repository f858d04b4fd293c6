//! Writing the tables as CSV in a given dialect.
//!
//! Two dialects matter: the canonical one (UTF-8, comma, ISO dates, dot decimals) and
//! the French Excel export that consultants actually receive (semicolon, windows-1252,
//! comma decimals, `1 234,56 €` amounts, dd/mm/yyyy dates, CRLF). Writing both from the
//! same records lets the second example exercise every `[data.*]` reading option.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use crate::model::{Activity, BoolStyle, Cents, Client, Lead, Sale};

/// How money cells are spelled.
#[derive(Clone, Copy, Debug)]
pub enum Money {
    /// `1234.56` (with the dialect's decimal separator).
    Plain,
    /// `1<sep>234,56 €`: thousands separated by `sep`, a space, then the euro sign.
    Euro { thousands: char },
}

/// A CSV dialect.
#[derive(Clone, Debug)]
pub struct Dialect {
    pub delimiter: char,
    pub decimal: char,
    /// dd/mm/yyyy instead of ISO 8601.
    pub french_dates: bool,
    /// Sales amounts.
    pub money: Money,
    /// Lead values.
    pub lead_money: Money,
    pub crlf: bool,
    /// Encode as windows-1252 instead of UTF-8.
    pub cp1252: bool,
}

impl Dialect {
    /// UTF-8, comma, ISO dates, dot decimals, LF: the format's defaults.
    pub fn iso() -> Self {
        Dialect {
            delimiter: ',',
            decimal: '.',
            french_dates: false,
            money: Money::Plain,
            lead_money: Money::Plain,
            crlf: false,
            cp1252: false,
        }
    }

    /// A French Excel export: `;`, windows-1252, `,` decimals, dd/mm/yyyy, CRLF.
    /// Sales amounts use NBSP as thousands separator, lead values a plain space
    /// (U+202F, which Excel sometimes uses, does not exist in windows-1252).
    pub fn french_excel() -> Self {
        Dialect {
            delimiter: ';',
            decimal: ',',
            french_dates: true,
            money: Money::Euro {
                thousands: '\u{a0}',
            },
            lead_money: Money::Euro { thousands: ' ' },
            crlf: true,
            cp1252: true,
        }
    }

    /// Encode a finished document to bytes (panics on a character windows-1252 lacks:
    /// a generator bug, never silently replaced).
    pub fn encode(&self, text: &str) -> Vec<u8> {
        if !self.cp1252 {
            return text.as_bytes().to_vec();
        }
        let (bytes, _, had_errors) = encoding_rs::WINDOWS_1252.encode(text);
        assert!(!had_errors, "text not representable in windows-1252");
        bytes.into_owned()
    }

    fn date(&self, date: NaiveDate) -> String {
        if self.french_dates {
            format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
        } else {
            fmt_iso(date)
        }
    }

    fn opt_date(&self, date: Option<NaiveDate>) -> String {
        date.map(|x| self.date(x)).unwrap_or_default()
    }

    fn money(&self, cents: Cents, style: Money) -> String {
        match style {
            Money::Plain => fmt_cents(cents, self.decimal, None),
            Money::Euro { thousands } => {
                format!("{} €", fmt_cents(cents, self.decimal, Some(thousands)))
            }
        }
    }

    /// A decimal number given in 1/`den` units, trailing zeros dropped (`2.5`, `3`).
    fn fixed(&self, value: i64, den: i64) -> String {
        let sign = if value < 0 { "-" } else { "" };
        let v = value.abs();
        let int = v / den;
        let frac = v % den;
        if frac == 0 {
            return format!("{sign}{int}");
        }
        let digits = match den {
            10 => format!("{frac}"),
            4 => format!("{}", frac * 25).trim_end_matches('0').to_string(),
            _ => unreachable!("unsupported denominator"),
        };
        format!("{sign}{int}{}{digits}", self.decimal)
    }

    /// Quote a field when it holds the delimiter, a quote or a line break.
    fn field(&self, out: &mut String, value: &str) {
        if value.contains(self.delimiter) || value.contains('"') || value.contains('\n') {
            out.push('"');
            out.push_str(&value.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(value);
        }
    }

    fn row(&self, out: &mut String, cells: &[&str]) {
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push(self.delimiter);
            }
            self.field(out, c);
        }
        out.push_str(if self.crlf { "\r\n" } else { "\n" });
    }
}

/// Column headers of the four tables, in the canonical column order.
#[derive(Clone, Debug)]
pub struct Headers {
    pub sales: [&'static str; 7],
    pub clients: [&'static str; 8],
    pub leads: [&'static str; 11],
    pub activities: [&'static str; 6],
}

impl Headers {
    /// The canonical column names of engagement-format.md.
    pub fn canonical() -> Self {
        Headers {
            sales: [
                "date",
                "invoice",
                "client_id",
                "rep",
                "product",
                "quantity",
                "amount",
            ],
            clients: [
                "client_id",
                "name",
                "zone",
                "segment",
                "created",
                "prescriber",
                "maturity",
                "rep",
            ],
            leads: [
                "lead_id",
                "date",
                "source",
                "stage",
                "qualified",
                "closed",
                "client_id",
                "rep",
                "value",
                "prescriber",
                "channel",
            ],
            activities: ["date", "rep", "activity", "hours", "target", "client_id"],
        }
    }
}

/// `2025-09-30`.
pub fn fmt_iso(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Cents as a decimal string, optional thousands separator.
pub fn fmt_cents(cents: Cents, decimal: char, thousands: Option<char>) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let v = cents.unsigned_abs();
    let int = (v / 100).to_string();
    let mut grouped = String::with_capacity(int.len() + 4);
    for (i, ch) in int.chars().enumerate() {
        if let Some(sep) = thousands
            && i > 0
            && (int.len() - i).is_multiple_of(3)
        {
            grouped.push(sep);
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}{decimal}{:02}", v % 100)
}

/// The sales table.
pub fn sales_csv(rows: &[Sale], dialect: &Dialect, headers: &Headers) -> String {
    let mut out = String::with_capacity(rows.len() * 64);
    dialect.row(&mut out, &headers.sales);
    for s in rows {
        let qty = s
            .quantity_tenths
            .map(|q| dialect.fixed(q, 10))
            .unwrap_or_default();
        dialect.row(
            &mut out,
            &[
                &dialect.date(s.date),
                &s.invoice,
                &s.client_id,
                &s.rep,
                s.product,
                &qty,
                &dialect.money(s.amount, dialect.money),
            ],
        );
    }
    out
}

/// The clients table.
pub fn clients_csv(rows: &[Client], dialect: &Dialect, headers: &Headers) -> String {
    let mut out = String::new();
    dialect.row(&mut out, &headers.clients);
    for c in rows {
        dialect.row(
            &mut out,
            &[
                &c.id,
                &c.name,
                &c.zone,
                &c.segment,
                &dialect.date(c.created),
                c.prescriber.as_deref().unwrap_or(""),
                c.maturity.unwrap_or(""),
                &c.rep,
            ],
        );
    }
    out
}

/// The leads table.
pub fn leads_csv(rows: &[Lead], dialect: &Dialect, headers: &Headers) -> String {
    let mut out = String::new();
    dialect.row(&mut out, &headers.leads);
    for l in rows {
        let q = l.qualified;
        let qualified = match l.qualified_style {
            BoolStyle::Empty => "",
            BoolStyle::TrueFalse => ["false", "true"][q as usize],
            BoolStyle::OuiNon => ["non", "oui"][q as usize],
            BoolStyle::OneZero => ["0", "1"][q as usize],
        };
        let value = l
            .value
            .map(|v| dialect.money(v, dialect.lead_money))
            .unwrap_or_default();
        dialect.row(
            &mut out,
            &[
                &l.id,
                &dialect.date(l.date),
                if l.french {
                    l.source.fr()
                } else {
                    l.source.en()
                },
                if l.french { l.stage.fr() } else { l.stage.en() },
                qualified,
                &dialect.opt_date(l.closed),
                l.client_id.as_deref().unwrap_or(""),
                &l.rep,
                &value,
                l.prescriber.as_deref().unwrap_or(""),
                &l.channel,
            ],
        );
    }
    out
}

/// The activities table.
pub fn activities_csv(rows: &[Activity], dialect: &Dialect, headers: &Headers) -> String {
    let mut out = String::new();
    dialect.row(&mut out, &headers.activities);
    let mut hours = String::new();
    for a in rows {
        hours.clear();
        if let Some(q) = a.quarters {
            let _ = write!(hours, "{}", dialect.fixed(q, 4));
        }
        dialect.row(
            &mut out,
            &[
                &dialect.date(a.date),
                &a.rep,
                if a.french { a.kind.fr() } else { a.kind.en() },
                &hours,
                a.target.map(|t| t.en()).unwrap_or(""),
                a.client_id.as_deref().unwrap_or(""),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formats() {
        assert_eq!(fmt_cents(123_456, '.', None), "1234.56");
        assert_eq!(fmt_cents(-5, '.', None), "-0.05");
        assert_eq!(fmt_cents(123_456_789, ',', Some(' ')), "1 234 567,89");
        assert_eq!(fmt_cents(99_900, ',', Some(' ')), "999,00");
        let fr = Dialect::french_excel();
        assert_eq!(fr.money(123_456, fr.money), "1\u{a0}234,56 €");
        assert_eq!(fr.encode("1\u{a0}234,56 €"), b"1\xa0234,56 \x80");
    }

    #[test]
    fn fixed_numbers() {
        let iso = Dialect::iso();
        assert_eq!(iso.fixed(25, 10), "2.5");
        assert_eq!(iso.fixed(30, 10), "3");
        assert_eq!(iso.fixed(-20, 10), "-2");
        assert_eq!(iso.fixed(6, 4), "1.5");
        assert_eq!(iso.fixed(3, 4), "0.75");
        assert_eq!(Dialect::french_excel().fixed(5, 4), "1,25");
    }

    #[test]
    fn quoting() {
        let iso = Dialect::iso();
        let mut s = String::new();
        iso.row(&mut s, &["a,b", "c\"d", "e"]);
        assert_eq!(s, "\"a,b\",\"c\"\"d\",e\n");
    }
}
