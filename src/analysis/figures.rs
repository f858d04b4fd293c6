//! Exact figures and how they are written to metrics.json.
//!
//! Every sum is a [`Decimal`] (never an f64 accumulation). Rounding happens only when a
//! figure is serialised: money to 2 decimals, rates to 4, both half away from zero
//! (commercial rounding, what a client's accountant expects). A figure that cannot be
//! computed (zero denominator, missing table) is `None`, written as `null`.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};

/// An amount of money in the engagement's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Money(pub Decimal);

/// A share or rate, in [0, 1] for shares (growth may be negative or above 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Rate(pub Decimal);

/// A quantity that is neither money nor a rate but may be fractional (hours, days,
/// percentage points), written with up to 2 decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Quantity(pub Decimal);

fn rounded(d: Decimal, dp: u32) -> f64 {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
        .to_f64()
        .unwrap_or(0.0)
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(rounded(self.0, 2))
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(rounded(self.0, 4))
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(rounded(self.0, 2))
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0 + o.0)
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        self.0 += o.0;
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

/// `num / den`, or `None` when `den` is zero.
pub fn ratio(num: Decimal, den: Decimal) -> Option<Rate> {
    if den.is_zero() {
        None
    } else {
        num.checked_div(den).map(Rate)
    }
}

/// `current / previous - 1`, or `None` when `previous <= 0` (growth from nothing or
/// from a net credit is meaningless).
pub fn growth(current: Decimal, previous: Decimal) -> Option<Rate> {
    if previous <= Decimal::ZERO {
        None
    } else {
        current
            .checked_div(previous)
            .map(|r| Rate(r - Decimal::ONE))
    }
}

/// A count as a decimal, for ratios.
pub fn count(n: usize) -> Decimal {
    Decimal::from(n as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn serialised_with_commercial_rounding() {
        assert_eq!(serde_json::to_string(&Money(d("2.345"))).unwrap(), "2.35");
        assert_eq!(serde_json::to_string(&Money(d("-2.345"))).unwrap(), "-2.35");
        assert_eq!(
            serde_json::to_string(&Rate(d("0.12345"))).unwrap(),
            "0.1235"
        );
        assert_eq!(
            serde_json::to_string(&Money(d("1200000"))).unwrap(),
            "1200000.0"
        );
        assert_eq!(serde_json::to_string(&None::<Rate>).unwrap(), "null");
    }

    #[test]
    fn undefined_ratios_are_none() {
        assert_eq!(ratio(d("1"), Decimal::ZERO), None);
        assert_eq!(growth(d("10"), d("0")), None);
        assert_eq!(growth(d("10"), d("-5")), None);
        assert_eq!(growth(d("110"), d("100")), Some(Rate(d("0.1"))));
    }
}
