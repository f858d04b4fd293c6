//! Reading one cell: numbers, money and dates as people and exports write them.
//!
//! Exports come from CRMs, accounting packages and Excel, so reading is forgiving about
//! form (`1 234,56 €`, `(12,50)`, `1,234.56`, dates with times, Excel serial days) and
//! strict about meaning: a cell that cannot be read is an error, never a silent zero,
//! and a cell that could be read two ways (`1,234`) is an error that names both.
//! Numbers are exact decimals, range-checked here so that no later sum can overflow.

use std::ops::Range;

use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// Dates outside these years are typos or misread formats (`%Y` reading `24` as the
/// year 24), never real invoices.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Checks that a `date_format` reads and writes a full date (a time may follow; it is
/// read and ignored).
pub fn date_format_is_valid(format: &str) -> bool {
    let Ok(items) = StrftimeItems::new(format).parse_to_owned() else {
        return false;
    };
    let probe = NaiveDate::from_ymd_opt(2025, 12, 31)
        .and_then(|d| d.and_hms_opt(17, 45, 30))
        .expect("valid date");
    // Formatting fails (rather than panics) when the format asks for a field a date and
    // time do not have (a time zone).
    let mut written = String::new();
    if std::fmt::Write::write_fmt(
        &mut written,
        format_args!("{}", probe.format_with_items(items.iter())),
    )
    .is_err()
    {
        return false;
    }
    parse_date_with(&written, &items) == Some(probe.date())
}

pub(crate) fn parse_date_with(text: &str, items: &[Item<'static>]) -> Option<NaiveDate> {
    let mut parsed = Parsed::new();
    chrono::format::parse(&mut parsed, text, items.iter()).ok()?;
    parsed.to_naive_date().ok()
}

/// How dates are written in a table.
pub(crate) enum DateFormat {
    /// `YYYY-MM-DD`, optionally followed by a time (`T10:00:00` or ` 10:00`), ignored.
    Iso,
    Custom(String, Vec<Item<'static>>),
    /// Excel serial day numbers (`45292` = 2024-01-01).
    Excel,
}

impl DateFormat {
    pub(crate) fn of(format: Option<&str>) -> DateFormat {
        match format {
            Some("excel") => DateFormat::Excel,
            Some(f) => match StrftimeItems::new(f).parse_to_owned() {
                Ok(items) => DateFormat::Custom(f.to_string(), items),
                Err(_) => DateFormat::Iso,
            },
            None => DateFormat::Iso,
        }
    }

    pub(crate) fn parse(&self, text: &str) -> Option<NaiveDate> {
        match self {
            DateFormat::Iso => parse_iso_date(text),
            DateFormat::Custom(_, items) => parse_date_with(text.trim(), items),
            DateFormat::Excel => {
                let serial: Decimal = text.trim().parse().ok()?;
                excel_serial_date(serial)
            }
        }
    }

    pub(crate) fn describe(&self) -> String {
        match self {
            DateFormat::Iso => "a date like 2025-01-31 (YYYY-MM-DD)".to_string(),
            DateFormat::Custom(f, _) => format!("a date in the format \"{f}\""),
            DateFormat::Excel => "an Excel serial day number such as 45292".to_string(),
        }
    }

    /// The format as written in engagement.toml.
    pub(crate) fn configured(&self) -> &str {
        match self {
            DateFormat::Iso => "%Y-%m-%d",
            DateFormat::Custom(f, _) => f,
            DateFormat::Excel => "excel",
        }
    }
}

/// The day of an Excel serial number in the 1900 date system (the time, its fraction,
/// is ignored). Excel counts 1900-02-29, a day that never was, so serials from 61 on
/// are one day ahead of the calendar: day 0 is 1899-12-30 for them.
pub fn excel_serial_date(serial: Decimal) -> Option<NaiveDate> {
    let days = serial.trunc();
    if days < Decimal::ONE || days > Decimal::from(2_958_465) {
        return None;
    }
    let days = i64::try_from(days).ok()?;
    let epoch = if days >= 61 {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    };
    epoch.checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

/// The decimal a spreadsheet shows for a number cell: the binary float rounded to 15
/// significant digits, as Excel displays it, so that `0.30000000000000004` (0.1 + 0.2
/// in binary) is 0.3 and an amount is the cents the accountant typed.
pub fn decimal_from_f64(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    let shown = format!("{value:.14e}");
    let d = Decimal::from_scientific(&shown).ok()?;
    Some(d.normalize())
}

/// Fast path for ISO dates, which make up most cells of most files.
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if b.len() > 10 && b[10] != b'T' && b[10] != b' ' {
        return None;
    }
    let num = |r: Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// Why an amount cell could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum AmountError {
    Invalid,
    /// A comma appeared in a file read with `decimal = "."`.
    LooksLikeDecimalComma,
    /// A dot appeared as a decimal point in a file read with `decimal = ","`.
    LooksLikeDecimalPoint,
    /// `1,234` with `decimal = "."`: a thousands separator or a decimal comma.
    ThousandsOrDecimalComma,
    /// Larger than [`MAX_AMOUNT`] in absolute value.
    TooLarge,
}

/// The largest number a cell may hold in absolute value: a trillion, far above any
/// invoice line, and low enough that sums of millions of lines and the ratios built
/// on them stay well inside `Decimal`'s range (about 7.9e28).
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(0xD4A5_1000, 0xE8, 0, false, 0);

/// How numbers are written in a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NumberStyle {
    /// `decimal = ","`.
    pub decimal_comma: bool,
    /// `thousands = ","`: `1,234` is 1234 (with `decimal = "."`).
    pub thousands_comma: bool,
}

/// Parses a money or quantity cell: `1234.56`, `-12`, `1 234,56 €`, `(12,50)`,
/// `1.234,56` (with decimal comma), spaces and no-break spaces as thousands separators.
pub fn parse_amount(text: &str, decimal_comma: bool) -> Result<Decimal, AmountError> {
    parse_number(
        text,
        NumberStyle {
            decimal_comma,
            thousands_comma: false,
        },
    )
}

/// Whether the characters after a separator are a thousands group: exactly three
/// digits, then no digit.
pub(crate) fn group_follows(chars: &std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let ahead: Vec<char> = chars.clone().take(4).collect();
    ahead.len() >= 3
        && ahead[..3].iter().all(char::is_ascii_digit)
        && ahead.get(3).is_none_or(|c| !c.is_ascii_digit())
}

/// [`parse_amount`] with the file's [`NumberStyle`]. With `decimal = "."`, commas
/// between thousands are read when they cannot be decimal commas (`1,234.56`,
/// `1,234,567`); a lone `1,234` needs `thousands = ","`, since it reads 1.234 in a
/// French export.
pub fn parse_number(text: &str, style: NumberStyle) -> Result<Decimal, AmountError> {
    let decimal_comma = style.decimal_comma;
    let trimmed = text.trim();
    if !decimal_comma && let Ok(d) = trimmed.parse::<Decimal>() {
        return in_range(d);
    }
    let mut negative = false;
    let mut body = trimmed;
    if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        negative = true;
        body = inner;
    }
    let mut clean = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    // Currency marks may come before or after the number.
    let is_currency = |c: char| matches!(c, '€' | '$' | '£' | '¤');
    let mut digits_seen = false;
    // Thousands commas (with `decimal = "."`) and the digits before the first one.
    let mut commas = 0usize;
    let mut leading_digits = 0usize;
    let mut point_seen = false;
    while let Some(c) = chars.next() {
        match c {
            '0'..='9' => {
                digits_seen = true;
                if commas == 0 && !point_seen {
                    leading_digits += 1;
                }
                clean.push(c);
            }
            '-' | '\u{2212}' if !digits_seen && !negative && clean.is_empty() => negative = true,
            '-' | '\u{2212}' if digits_seen && chars.peek().is_none() => negative = !negative,
            '+' if clean.is_empty() => {}
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' => {}
            c if is_currency(c) => {}
            'E' | 'e' if chars.peek() == Some(&'U') || chars.peek() == Some(&'u') => {
                // "EUR"
                let rest: String = chars.by_ref().take(2).collect();
                if !rest.eq_ignore_ascii_case("ur") {
                    return Err(AmountError::Invalid);
                }
            }
            ',' if decimal_comma => clean.push('.'),
            ',' => {
                // A comma between thousands: after one to three digits, before a group
                // of three, never after the decimal point.
                if point_seen
                    || !digits_seen
                    || (commas == 0 && leading_digits > 3)
                    || !group_follows(&chars)
                {
                    return Err(AmountError::LooksLikeDecimalComma);
                }
                commas += 1;
            }
            '.' => {
                if decimal_comma {
                    // A dot is a thousands separator only before exactly three digits.
                    if !group_follows(&chars) || !digits_seen {
                        return Err(AmountError::LooksLikeDecimalPoint);
                    }
                } else {
                    point_seen = true;
                    clean.push('.');
                }
            }
            _ => return Err(AmountError::Invalid),
        }
    }
    if !digits_seen || clean.matches('.').count() > 1 {
        return Err(AmountError::Invalid);
    }
    if commas == 1 && !point_seen && !style.thousands_comma {
        return Err(AmountError::ThousandsOrDecimalComma);
    }
    let value: Decimal = clean.parse().map_err(|_| AmountError::TooLarge)?;
    in_range(if negative { -value } else { value })
}

pub(crate) fn in_range(d: Decimal) -> Result<Decimal, AmountError> {
    if d.abs() > MAX_AMOUNT {
        Err(AmountError::TooLarge)
    } else {
        Ok(d)
    }
}

/// Suggests a strftime format for a date written in a common way, among those that
/// really read it: `2/24/2003` gets `%m/%d/%Y`, never `%d/%m/%Y` (24 is no month).
/// When both orders fit (`05/06/2024`), day first, the French and European order.
/// A time after the date (`2/24/2003 0:00`, `06/12/2009 10:30:00`) is part of the hint.
pub(crate) fn date_format_hint(text: &str) -> Option<String> {
    const DATES: &[&str] = &[
        "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%m-%d-%Y", "%d.%m.%Y", "%Y/%m/%d",
        "%d/%m/%y", "%m/%d/%y", "%d.%m.%y", "%Y%m%d",
    ];
    let t = text.trim();
    let (date, time) = match t.split_once([' ', 'T']) {
        Some((d, rest)) => (d, Some(rest.trim())),
        None => (t, None),
    };
    let time_format = match time {
        None => "",
        Some(time) => match time.matches(':').count() {
            1 => " %H:%M",
            2 => " %H:%M:%S",
            _ => return None,
        },
    };
    DATES.iter().find_map(|f| {
        let items = StrftimeItems::new(f).parse_to_owned().ok()?;
        let d = parse_date_with(date, &items)?;
        // `%Y` reads `24` as the year 24: a two-digit year is `%y`'s.
        YEARS
            .contains(&d.year())
            .then(|| format!("{f}{time_format}"))
    })
}

/// Whether `text` has the shape of dates written in `format` (digits where it has
/// digits, the same separators), so that an impossible day (2024-02-30) is told apart
/// from a date in another format.
pub(crate) fn looks_like(text: &str, format: &str) -> bool {
    let shape = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_digit() { '9' } else { c })
            .collect()
    };
    let Ok(items) = StrftimeItems::new(format).parse_to_owned() else {
        return false;
    };
    let probe = NaiveDate::from_ymd_opt(2025, 12, 31)
        .and_then(|d| d.and_hms_opt(17, 45, 30))
        .expect("valid date");
    let mut written = String::new();
    std::fmt::Write::write_fmt(
        &mut written,
        format_args!("{}", probe.format_with_items(items.iter())),
    )
    .is_ok()
        && shape(text.trim()) == shape(&written)
}
