//! Unit tests of the cell and text readers.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::cells::*;
use super::text::*;

#[test]
fn amounts_in_every_export_shape() {
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    assert_eq!(parse_amount("1234.56", false), Ok(d("1234.56")));
    assert_eq!(parse_amount("-12", false), Ok(d("-12")));
    assert_eq!(parse_amount("1 234,56 €", true), Ok(d("1234.56")));
    assert_eq!(parse_amount("1\u{a0}234,56\u{a0}€", true), Ok(d("1234.56")));
    assert_eq!(
        parse_amount("1\u{202f}234\u{202f}567,5", true),
        Ok(d("1234567.5"))
    );
    assert_eq!(parse_amount("-1 234,56", true), Ok(d("-1234.56")));
    assert_eq!(parse_amount("1.234,56", true), Ok(d("1234.56")));
    assert_eq!(parse_amount("(12,50)", true), Ok(d("-12.50")));
    assert_eq!(parse_amount("12,50-", true), Ok(d("-12.50")));
    assert_eq!(parse_amount("€ 99", false), Ok(d("99")));
    assert_eq!(parse_amount("99 EUR", false), Ok(d("99")));
    assert_eq!(
        parse_amount("12,5", false),
        Err(AmountError::LooksLikeDecimalComma)
    );
    assert_eq!(
        parse_amount("12.5", true),
        Err(AmountError::LooksLikeDecimalPoint)
    );
    assert_eq!(parse_amount("abc", false), Err(AmountError::Invalid));
    assert_eq!(parse_amount("", false), Err(AmountError::Invalid));
    assert_eq!(parse_amount("1.2.3", false), Err(AmountError::Invalid));
}

#[test]
fn commas_between_thousands_with_a_decimal_point() {
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    assert_eq!(parse_amount("1,234.56", false), Ok(d("1234.56")));
    assert_eq!(parse_amount("-1,234,567", false), Ok(d("-1234567")));
    assert_eq!(parse_amount("$1,234,567.5", false), Ok(d("1234567.5")));
    assert_eq!(parse_amount("153.60", false), Ok(d("153.60")));
    assert_eq!(
        parse_amount("1,234", false),
        Err(AmountError::ThousandsOrDecimalComma)
    );
    let us = NumberStyle {
        decimal_comma: false,
        thousands_comma: true,
    };
    assert_eq!(parse_number("1,234", us), Ok(d("1234")));
    for bad in ["1234,567.00", "1,23.4", "1.5,000", ",123"] {
        assert_eq!(
            parse_amount(bad, false),
            Err(AmountError::LooksLikeDecimalComma),
            "{bad}"
        );
    }
}

#[test]
fn numbers_beyond_a_trillion_are_refused() {
    assert_eq!(MAX_AMOUNT, Decimal::from(1_000_000_000_000i64));
    assert!(parse_amount("1000000000000", false).is_ok());
    assert_eq!(
        parse_amount("1000000000000.01", false),
        Err(AmountError::TooLarge)
    );
    assert_eq!(
        parse_amount("50000000000000000000000000000", false),
        Err(AmountError::TooLarge)
    );
    assert_eq!(
        parse_amount("-5 000 000 000 000,00 €", true),
        Err(AmountError::TooLarge)
    );
}

#[test]
fn amounts_keep_every_digit() {
    let a = parse_amount("0.1", false).unwrap() + parse_amount("0.2", false).unwrap();
    assert_eq!(a, "0.3".parse::<Decimal>().unwrap());
}

#[test]
fn iso_dates_with_and_without_time() {
    assert_eq!(
        parse_iso_date("2025-02-28"),
        NaiveDate::from_ymd_opt(2025, 2, 28)
    );
    assert_eq!(
        parse_iso_date("2025-02-28T10:00:00"),
        NaiveDate::from_ymd_opt(2025, 2, 28)
    );
    assert_eq!(parse_iso_date("2025-02-29"), None);
    assert_eq!(parse_iso_date("28/02/2025"), None);
    assert_eq!(parse_iso_date("2025-02-28x"), None);
}

#[test]
fn date_formats_are_checked() {
    assert!(date_format_is_valid("%d/%m/%Y"));
    assert!(!date_format_is_valid("%H:%M"));
    assert!(!date_format_is_valid("%Q"));
    assert!(date_format_is_valid("%m/%d/%Y %H:%M"));
    assert_eq!(date_format_hint("31/12/2025").as_deref(), Some("%d/%m/%Y"));
}

#[test]
fn date_hints_name_only_formats_that_fit_the_cell() {
    let hint = |t: &str| date_format_hint(t);
    assert_eq!(hint("2/24/2003").as_deref(), Some("%m/%d/%Y"));
    assert_eq!(hint("2/24/2003 0:00").as_deref(), Some("%m/%d/%Y %H:%M"));
    assert_eq!(
        hint("06/12/2009 10:30:00").as_deref(),
        Some("%d/%m/%Y %H:%M:%S")
    );
    assert_eq!(hint("24.02.2003").as_deref(), Some("%d.%m.%Y"));
    assert_eq!(hint("24/02/03").as_deref(), Some("%d/%m/%y"));
    assert_eq!(hint("13/13/2003"), None);
}

#[test]
fn sniffing_picks_the_separator_of_the_header() {
    assert_eq!(sniff_delimiter("date;client_id;amount"), b';');
    assert_eq!(sniff_delimiter("date,client_id,amount"), b',');
    assert_eq!(sniff_delimiter("date\tclient_id\tamount"), b'\t');
    assert_eq!(sniff_delimiter("\"a;b\",c,d"), b',');
}

#[test]
fn excel_sep_lines_name_the_delimiter() {
    assert_eq!(excel_sep_line("sep=,\r\ndate,amount\r\n"), (7, Some(b',')));
    assert_eq!(excel_sep_line("\"sep=;\"\ndate;amount\n"), (8, Some(b';')));
    assert_eq!(excel_sep_line("SEP=|\n"), (6, Some(b'|')));
    assert_eq!(excel_sep_line("date,amount\n"), (0, None));
    assert_eq!(excel_sep_line("sep=,,\n"), (0, None));
}

#[test]
fn records_start_after_line_ends() {
    // csv gives the second record of "h\r\nx\r\n" as byte 2 (the `\n`), line 1.
    let text = b"h\r\nx\r\n\r\ny\n";
    assert_eq!(record_start(text, 2, 1), (3, 2));
    assert_eq!(record_start(text, 3, 2), (3, 2));
    assert_eq!(record_start(text, 5, 2), (8, 4));
    assert_eq!(record_start(text, text.len(), 5), (text.len(), 5));
}

#[test]
fn field_spans_honour_quotes() {
    let line = "a,\"b,c\",d";
    assert_eq!(&line[field_span(line, b',', 1)], "\"b,c\"");
    assert_eq!(&line[field_span(line, b',', 2)], "d");
}
