//! Exact decimal numbers for the rule language.
//!
//! Amounts of money, hours and shares must compare without floating-point
//! surprises, so the rule language's numbers are fixed-range decimals:
//! `0.1 + 0.2 == 0.3` holds exactly. Evidence numbers are read exactly or not at
//! all: `1e-20` is not `0`. See [`Number`].

use std::cmp::Ordering;
use std::fmt;

/// An exact decimal number.
///
/// The value is `mantissa / 10^scale` with an absolute value below `10^20`
/// ([`Number::MAX_INTEGER_DIGITS`] integer digits) and at most 38 digits in
/// all. Literals and arithmetic results have at most [`Number::MAX_SCALE`]
/// (18) fractional digits; numbers read from evidence
/// ([`Number::from_json`]) keep up to [`Number::MAX_EXACT_SCALE`] (22), so
/// that a fee of `1e-20` compares as more than `0`. Values are kept
/// normalized (no trailing fractional zeros), so the derived equality and
/// hash are value equality, and comparison is exact: `1.50 == 1.5`.
///
/// Negation is exact. Addition, subtraction, multiplication and division are
/// exact when the exact result has at most 18 fractional digits and are
/// otherwise rounded half-to-even to 18 fractional digits (addition and
/// subtraction only round when an operand has more than 18, which only
/// evidence values have). Every operation that could leave the range returns
/// `None` instead of panicking.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Number {
    /// The mantissa (an `i128`) in two machine words, so that a number is 24 bytes aligned to
    /// 8, not 32 aligned to 16: evaluation moves values a lot, and they stay small.
    lo: u64,
    hi: i64,
    scale: u8,
}

/// `10^0` to `10^38`, computed once at compile time: every operation scales by a power of
/// ten, and computing one takes a loop of 128-bit multiplications.
#[allow(
    clippy::indexing_slicing,
    reason = "evaluated at compile time, where an index out of bounds is a build error"
)]
const POWERS_OF_TEN: [u128; 39] = {
    let mut table = [1_u128; 39];
    let mut i = 1;
    while i < 39 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// `10^n` as `i128`, saturating at `10^38` (the largest power of ten that fits).
#[inline]
#[allow(
    clippy::cast_possible_wrap,
    reason = "10^38 is below i128::MAX, so every entry of the table fits"
)]
fn pow10(n: u32) -> i128 {
    pow10u(n) as i128
}

/// `10^n` as `u128`, saturating at `10^38`.
#[inline]
fn pow10u(n: u32) -> u128 {
    match POWERS_OF_TEN.get(n as usize) {
        Some(p) => *p,
        None => 10_u128.pow(38),
    }
}

/// Rounds `quotient + remainder / divisor` half-to-even; `remainder < divisor`.
fn round_half_even(quotient: U256, remainder: u128, divisor: u128) -> Option<u128> {
    let q = quotient.to_u128()?;
    let rest = divisor.wrapping_sub(remainder);
    let up = remainder > rest || (remainder == rest && q & 1 == 1);
    if up { q.checked_add(1) } else { Some(q) }
}

/// A 256-bit unsigned integer, just wide enough for products of two `u128`s.
/// (The derived order compares `hi` first: the numeric order.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct U256 {
    hi: u128,
    lo: u128,
}

impl U256 {
    const LOW_MASK: u128 = u64::MAX as u128;

    /// The full product `a * b`.
    fn mul(a: u128, b: u128) -> U256 {
        let (a1, a0) = (a >> 64, a & Self::LOW_MASK);
        let (b1, b0) = (b >> 64, b & Self::LOW_MASK);
        // Each partial product is below 2^128; the sums below cannot exceed
        // 256 bits, wrapping operations only make that explicit.
        let p00 = a0.wrapping_mul(b0);
        let p01 = a0.wrapping_mul(b1);
        let p10 = a1.wrapping_mul(b0);
        let p11 = a1.wrapping_mul(b1);
        let mid = (p00 >> 64)
            .wrapping_add(p01 & Self::LOW_MASK)
            .wrapping_add(p10 & Self::LOW_MASK);
        let lo = (p00 & Self::LOW_MASK) | (mid << 64);
        let hi = p11
            .wrapping_add(p01 >> 64)
            .wrapping_add(p10 >> 64)
            .wrapping_add(mid >> 64);
        U256 { hi, lo }
    }

    /// The value as `u128`, if it fits.
    fn to_u128(self) -> Option<u128> {
        (self.hi == 0).then_some(self.lo)
    }

    /// Quotient and remainder of the division by `divisor`; `None` if `divisor` is zero.
    fn div_rem(self, divisor: u128) -> Option<(U256, u128)> {
        let q_hi = self.hi.checked_div(divisor)?;
        let mut rem = self.hi.checked_rem(divisor)?;
        if rem == 0 {
            let q_lo = self.lo.checked_div(divisor)?;
            let r = self.lo.checked_rem(divisor)?;
            return Some((U256 { hi: q_hi, lo: q_lo }, r));
        }
        // Binary long division of (rem : lo) by divisor, rem < divisor.
        let mut q_lo = 0_u128;
        for bit in (0..128).rev() {
            let carry = rem >> 127;
            rem = (rem << 1) | ((self.lo >> bit) & 1);
            if carry == 1 || rem >= divisor {
                // The true value (carry : rem) is below 2 * divisor, so the
                // wrapping subtraction yields the exact difference.
                rem = rem.wrapping_sub(divisor);
                q_lo |= 1 << bit;
            }
        }
        Some((U256 { hi: q_hi, lo: q_lo }, rem))
    }

    /// `self / divisor` rounded half-to-even, if it fits in `u128`.
    fn div_round_half_even(self, divisor: u128) -> Option<u128> {
        let (q, r) = self.div_rem(divisor)?;
        round_half_even(q, r, divisor)
    }

    /// `a * 10^k`, if it fits in 256 bits.
    fn mul_pow10(a: u128, k: u32) -> Option<U256> {
        let first = U256::mul(a, pow10u(k.min(38)));
        if k <= 38 {
            return Some(first);
        }
        let m = pow10u(k - 38);
        let low = U256::mul(first.lo, m);
        let hi = first.hi.checked_mul(m)?.checked_add(low.hi)?;
        Some(U256 { hi, lo: low.lo })
    }

    /// `self + rhs`, if it fits in 256 bits.
    fn checked_add(self, rhs: U256) -> Option<U256> {
        let (lo, carry) = self.lo.overflowing_add(rhs.lo);
        let hi = self
            .hi
            .checked_add(rhs.hi)?
            .checked_add(u128::from(carry))?;
        Some(U256 { hi, lo })
    }

    /// `self - rhs` for `rhs <= self`.
    fn sub_smaller(self, rhs: U256) -> U256 {
        let (lo, borrow) = self.lo.overflowing_sub(rhs.lo);
        let hi = self
            .hi
            .wrapping_sub(rhs.hi)
            .wrapping_sub(u128::from(borrow));
        U256 { hi, lo }
    }

    /// `(self + f) / 10^k` rounded half-to-even, for some `0 <= f < 1` that is
    /// nonzero exactly when `sticky` is set; `None` if it does not fit `u128`.
    fn div_pow10_half_even(self, k: u32, sticky: bool) -> Option<u128> {
        let (mut q, mut k, mut sticky) = (self, k, sticky);
        // 10^k does not fit one `u128` divisor beyond k = 38: divide in steps,
        // remembering whether anything nonzero was dropped.
        while k > 38 {
            let (next, r) = q.div_rem(pow10u(38))?;
            sticky |= r != 0;
            q = next;
            k -= 38;
        }
        let divisor = pow10u(k);
        let (q, r) = q.div_rem(divisor)?;
        let q = q.to_u128()?;
        let rest = divisor - r;
        let up = if k == 0 {
            false
        } else {
            r > rest || (r == rest && (sticky || q & 1 == 1))
        };
        if up { q.checked_add(1) } else { Some(q) }
    }
}

/// The parts of a decimal literal `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
struct Literal<'a> {
    negative: bool,
    int_digits: &'a [u8],
    frac_digits: &'a [u8],
    /// Decimal exponent, saturated to the `i64` range.
    exponent: i64,
}

/// Number of leading ASCII digits in `bytes`.
fn digit_run(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

impl<'a> Literal<'a> {
    /// Splits `text` per the literal grammar; `None` if it does not match.
    fn split(text: &'a str) -> Option<Literal<'a>> {
        let bytes = text.as_bytes();
        let (negative, rest) = match bytes {
            [b'-', rest @ ..] => (true, rest),
            _ => (false, bytes),
        };
        let int_len = digit_run(rest);
        if int_len == 0 {
            return None;
        }
        let (int_digits, rest) = rest.split_at_checked(int_len)?;
        let (frac_digits, rest) = match rest {
            [b'.', tail @ ..] => {
                let frac_len = digit_run(tail);
                if frac_len == 0 {
                    return None;
                }
                tail.split_at_checked(frac_len)?
            }
            _ => (<&[u8]>::default(), rest),
        };
        let exponent = match rest {
            [] => 0,
            [b'e' | b'E', tail @ ..] => Self::exponent(tail)?,
            _ => return None,
        };
        Some(Literal {
            negative,
            int_digits,
            frac_digits,
            exponent,
        })
    }

    /// Parses `[+-]?[0-9]+` (the whole slice), saturating.
    fn exponent(bytes: &[u8]) -> Option<i64> {
        let (negative, digits) = match bytes {
            [b'-', digits @ ..] => (true, digits),
            [b'+', digits @ ..] | digits => (false, digits),
        };
        if digits.is_empty() || digit_run(digits) != digits.len() {
            return None;
        }
        let magnitude = digits.iter().fold(0_i64, |acc, &d| {
            acc.saturating_mul(10)
                .saturating_add(i64::from(d.wrapping_sub(b'0')))
        });
        Some(if negative { -magnitude } else { magnitude })
    }

    /// Converts to a [`Number`]. Values with more than `max_scale` fractional
    /// digits are rounded half-to-even to `max_scale` when `round` is set and
    /// rejected otherwise.
    fn to_number(&self, max_scale: u8, round: bool) -> Option<Number> {
        let digits: Vec<u8> = self
            .int_digits
            .iter()
            .chain(self.frac_digits)
            .map(|d| d.wrapping_sub(b'0'))
            .skip_while(|&d| d == 0)
            .collect();
        let trailing = digits.iter().rev().take_while(|&&d| d == 0).count();
        let significant = digits.get(..digits.len().saturating_sub(trailing))?;
        if significant.is_empty() {
            return Some(Number::ZERO);
        }
        let frac_len = i64::try_from(self.frac_digits.len()).ok()?;
        let exponent = self
            .exponent
            .saturating_sub(frac_len)
            .saturating_add(i64::try_from(trailing).ok()?);
        let count = i64::try_from(significant.len()).ok()?;
        let max_int_digits = i64::from(Number::MAX_INTEGER_DIGITS);
        let max_scale = i64::from(max_scale);

        if exponent >= 0 {
            if count.saturating_add(exponent) > max_int_digits {
                return None;
            }
            let magnitude =
                digits_value(significant)?.checked_mul(pow10u(u32::try_from(exponent).ok()?))?;
            return Number::from_magnitude(self.negative, magnitude, 0);
        }

        let scale = exponent.saturating_neg();
        if count.saturating_sub(scale) > max_int_digits {
            return None;
        }
        if scale <= max_scale {
            return Number::from_magnitude(
                self.negative,
                digits_value(significant)?,
                u32::try_from(scale).ok()?,
            );
        }
        if !round {
            return None;
        }
        // Keep the digits down to the 18th fractional place, round the rest.
        let keep = count.saturating_sub(scale.saturating_sub(max_scale));
        let (kept, dropped) = significant.split_at_checked(usize::try_from(keep.max(0)).ok()?)?;
        let kept_value = digits_value(kept)?;
        let first_dropped = if keep < 0 {
            0
        } else {
            dropped.first().copied().unwrap_or(0)
        };
        // Trailing zeros were stripped, so any further dropped digit is nonzero.
        let more = keep >= 0 && dropped.len() > 1;
        let up = first_dropped > 5 || (first_dropped == 5 && (more || kept_value & 1 == 1));
        let magnitude = if up {
            kept_value.checked_add(1)?
        } else {
            kept_value
        };
        Number::from_magnitude(self.negative, magnitude, u32::try_from(max_scale).ok()?)
    }
}

/// The value of a sequence of decimal digit values (0..=9), if it fits.
fn digits_value(digits: &[u8]) -> Option<u128> {
    digits.iter().try_fold(0_u128, |acc, &d| {
        acc.checked_mul(10)?.checked_add(u128::from(d))
    })
}

impl std::fmt::Debug for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Number")
            .field("mantissa", &self.mantissa())
            .field("scale", &self.scale)
            .finish()
    }
}

impl Number {
    /// Zero.
    pub const ZERO: Number = Number::raw(0, 0);

    /// One.
    pub const ONE: Number = Number::raw(1, 0);

    /// A number from its mantissa and scale as they are (normalized by the caller).
    #[inline]
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "the two halves of the mantissa's bits"
    )]
    const fn raw(mantissa: i128, scale: u8) -> Number {
        Number {
            lo: mantissa as u64,
            hi: (mantissa >> 64) as i64,
            scale,
        }
    }

    /// The mantissa: the number is `mantissa / 10^scale`.
    #[inline]
    #[allow(
        clippy::cast_lossless,
        reason = "the two halves of the mantissa's bits"
    )]
    const fn mantissa(self) -> i128 {
        ((self.hi as i128) << 64) | (self.lo as i128)
    }

    /// The maximum number of fractional digits of literals and of arithmetic
    /// results (18); results with more are rounded half-to-even to 18.
    pub const MAX_SCALE: u8 = 18;

    /// The maximum number of fractional digits of a number read from evidence
    /// (22), held and compared exactly; evidence with more is not read (see
    /// [`Number::from_json`]). 22 is as far as the JSON reader's `f64` is
    /// exact: it divides the written digits by `10^k`, a power of ten that
    /// `f64` holds exactly only up to `10^22`.
    pub const MAX_EXACT_SCALE: u8 = 22;

    /// The maximum number of integer digits (20): every value's absolute
    /// value is below `10^20`; anything larger is out of range.
    pub const MAX_INTEGER_DIGITS: u8 = 20;

    /// Builds a normalized number from `mantissa / 10^scale`; `None` if the
    /// scale exceeds [`Number::MAX_EXACT_SCALE`] after normalization or the
    /// value is out of range (at least `10^20`, or more than 38 digits).
    fn from_parts(mut mantissa: i128, mut scale: u32) -> Option<Number> {
        if mantissa == 0 {
            scale = 0;
        } else if let Ok(mut small) = i64::try_from(mantissa) {
            // The common case, in machine words (128-bit division is a library call).
            while scale > 0 && small % 10 == 0 {
                small /= 10;
                scale -= 1;
            }
            mantissa = i128::from(small);
        }
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        if scale > u32::from(Self::MAX_EXACT_SCALE) {
            return None;
        }
        // Saturates at 10^38 from scale 18 on: at most 38 digits in all.
        let limit = pow10u(u32::from(Self::MAX_INTEGER_DIGITS) + scale);
        if mantissa.unsigned_abs() >= limit {
            return None;
        }
        Some(Number::raw(mantissa, u8::try_from(scale).ok()?))
    }

    /// Builds a number from a sign, a magnitude and a scale (see [`Number::from_parts`]).
    fn from_magnitude(negative: bool, magnitude: u128, scale: u32) -> Option<Number> {
        if scale > u32::from(Self::MAX_EXACT_SCALE)
            || magnitude >= pow10u(u32::from(Self::MAX_INTEGER_DIGITS) + scale)
        {
            return None;
        }
        let mantissa = i128::try_from(magnitude).ok()?;
        Self::from_parts(if negative { -mantissa } else { mantissa }, scale)
    }

    /// Converts an integer. Every `i64` is in range, so this always returns
    /// `Some`; the `Option` keeps the signature uniform with other constructors.
    #[must_use]
    pub fn from_i64(i: i64) -> Option<Number> {
        Self::from_parts(i128::from(i), 0)
    }

    /// Parses an exact decimal literal `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    ///
    /// Returns `None` if the text does not match the grammar exactly (no
    /// surrounding whitespace, no leading `+`, no `.5` or `5.`), if more than
    /// 18 fractional digits remain after applying the exponent (no rounding
    /// happens here), or if the value is out of range.
    #[must_use]
    pub fn parse(text: &str) -> Option<Number> {
        Literal::split(text)?.to_number(Self::MAX_SCALE, false)
    }

    /// Converts a float through its shortest round-trip decimal
    /// representation, so `7.69_f64` becomes exactly `7.69`. More than 18
    /// fractional digits are rounded half-to-even to 18. `None` for NaN,
    /// infinities and out-of-range values. (Evidence is read exactly by
    /// [`Number::from_json`] instead; this rounding form is for tests.)
    #[cfg(test)]
    #[must_use]
    pub fn from_f64(f: f64) -> Option<Number> {
        if !f.is_finite() {
            return None;
        }
        Self::from_f64_short(f).or_else(|| Self::from_f64_digits(f, Self::MAX_SCALE, true))
    }

    /// Fast path for the usual evidence (hours, money, shares): if some m / 10^k with
    /// k <= 6 rounds to exactly `f`, that decimal is the shortest one that does (at this
    /// magnitude two k-digit decimals cannot round to the same double), which is what
    /// [`Number::from_f64_digits`] would find. `None` when there is none (or `f` is large).
    fn from_f64_short(f: f64) -> Option<Number> {
        if f.abs() < 1e9 {
            let mut scale = 1.0_f64;
            for k in 0..=6u8 {
                let m = (f * scale).round();
                #[allow(clippy::cast_possible_truncation, reason = "|m| < 1e15, exact in i64")]
                let mi = m as i64;
                #[allow(clippy::float_cmp, reason = "exactness is the point")]
                if m / scale == f {
                    return Self::from_parts(i128::from(mi), u32::from(k));
                }
                scale *= 10.0;
            }
        }
        None
    }

    /// The shortest round-trip decimal of a finite `f`, if it has at most
    /// `max_scale` fractional digits (rounded to `max_scale` when `round`).
    fn from_f64_digits(f: f64, max_scale: u8, round: bool) -> Option<Number> {
        let text = format!("{f:e}");
        Literal::split(&text)?.to_number(max_scale, round)
    }

    /// Converts a JSON number exactly, or not at all: integers as they are,
    /// other numbers (which JSON parsing gives as `f64`) as their shortest
    /// round-trip decimal, the number the supplier wrote (`7.69` stays
    /// `7.69`). `None` when that decimal has more than
    /// [`Number::MAX_EXACT_SCALE`] (22) fractional digits or is out of range
    /// (at least `10^20`); [`Number::json_misfit`] says which. Nothing is
    /// rounded: `1e-20` is read as `1e-20`, never as `0`.
    #[must_use]
    pub fn from_json(n: &serde_json::Number) -> Option<Number> {
        if let Some(i) = n.as_i64() {
            Self::from_i64(i)
        } else if let Some(u) = n.as_u64() {
            Self::from_parts(i128::from(u), 0)
        } else {
            let f = n.as_f64().filter(|f| f.is_finite())?;
            Self::from_f64_short(f)
                .or_else(|| Self::from_f64_digits(f, Self::MAX_EXACT_SCALE, false))
        }
    }

    /// Why [`Number::from_json`] gives no number for `n`, as an invalid
    /// evidence reason: ``number `1e300` is out of range`` or ``number `1e-30`
    /// has more decimal places than the 22 the rules compare exactly``.
    #[must_use]
    pub fn json_misfit(n: &serde_json::Number) -> String {
        let tiny = n
            .as_f64()
            .is_some_and(|f| f.is_finite() && f.abs() < 1e20 && n.as_i64().is_none());
        if tiny {
            format!(
                "number `{n}` has more decimal places than the {} the rules compare exactly",
                Self::MAX_EXACT_SCALE
            )
        } else {
            format!("number `{n}` is out of range")
        }
    }

    /// Sum, exact when it has at most 18 fractional digits (always when
    /// both operands have), otherwise rounded half-to-even to 18 fractional
    /// digits; `None` if out of range.
    #[must_use]
    pub fn checked_add(self, rhs: Number) -> Option<Number> {
        if self.scale > Self::MAX_SCALE || rhs.scale > Self::MAX_SCALE {
            return self.wide_add(rhs);
        }
        let scale = self.scale.max(rhs.scale);
        // Both values are below 10^20, so scaling to at most 18 fractional
        // digits stays below 10^38 and cannot overflow.
        let a = self
            .mantissa()
            .checked_mul(pow10(u32::from(scale - self.scale)))?;
        let b = rhs
            .mantissa()
            .checked_mul(pow10(u32::from(scale - rhs.scale)))?;
        // An overflowing sum is at least 10^38 / 10^18: out of range anyway.
        Self::from_parts(a.checked_add(b)?, u32::from(scale))
    }

    /// Difference, exact or rounded as [`Number::checked_add`]; `None` if out
    /// of range.
    #[must_use]
    pub fn checked_sub(self, rhs: Number) -> Option<Number> {
        self.checked_add(rhs.neg())
    }

    /// [`Number::checked_add`] when an operand has more than 18 fractional
    /// digits: the exact sum in 256 bits, then rounded to 18.
    fn wide_add(self, rhs: Number) -> Option<Number> {
        let scale = self.scale.max(rhs.scale);
        // Both magnitudes are below 10^38 and move at most 38 places: below 10^76.
        let a = U256::mul_pow10(
            self.mantissa().unsigned_abs(),
            u32::from(scale - self.scale),
        )?;
        let b = U256::mul_pow10(rhs.mantissa().unsigned_abs(), u32::from(scale - rhs.scale))?;
        let (negative, magnitude) = if (self.mantissa() < 0) == (rhs.mantissa() < 0) {
            (self.mantissa() < 0, a.checked_add(b)?)
        } else if a >= b {
            (self.mantissa() < 0, a.sub_smaller(b))
        } else {
            (rhs.mantissa() < 0, b.sub_smaller(a))
        };
        Self::rounded(negative, magnitude, u32::from(scale), false)
    }

    /// `±(magnitude + f) / 10^scale` for some `0 <= f < 1`, nonzero exactly when
    /// `sticky` is set, as an arithmetic result: rounded half-to-even to 18
    /// fractional digits when it has more.
    fn rounded(negative: bool, magnitude: U256, scale: u32, sticky: bool) -> Option<Number> {
        let max_scale = u32::from(Self::MAX_SCALE);
        if scale <= max_scale && !sticky {
            return Self::from_magnitude(negative, magnitude.to_u128()?, scale);
        }
        let k = scale.saturating_sub(max_scale);
        let magnitude = magnitude.div_pow10_half_even(k, sticky)?;
        Self::from_magnitude(negative, magnitude, scale.min(max_scale))
    }

    /// Product, exact when it has at most 18 fractional digits, otherwise
    /// rounded half-to-even to 18 fractional digits; `None` if out of range.
    #[must_use]
    pub fn checked_mul(self, rhs: Number) -> Option<Number> {
        let negative = (self.mantissa() < 0) != (rhs.mantissa() < 0);
        let product = U256::mul(
            self.mantissa().unsigned_abs(),
            rhs.mantissa().unsigned_abs(),
        );
        let scale = u32::from(self.scale) + u32::from(rhs.scale);
        let max_scale = u32::from(Self::MAX_SCALE);
        if scale > max_scale + 38 {
            // Only with an operand of more than 18 fractional digits (from evidence).
            Self::rounded(negative, product, scale, false)
        } else if scale > max_scale {
            let magnitude = product.div_round_half_even(pow10u(scale - max_scale))?;
            Self::from_magnitude(negative, magnitude, max_scale)
        } else {
            Self::from_magnitude(negative, product.to_u128()?, scale)
        }
    }

    /// Quotient, exact when it terminates within 18 fractional digits,
    /// otherwise rounded half-to-even to 18 fractional digits; `None` on
    /// division by zero or if out of range.
    #[must_use]
    pub fn checked_div(self, rhs: Number) -> Option<Number> {
        if rhs.is_zero() {
            return None;
        }
        let negative = (self.mantissa() < 0) != (rhs.mantissa() < 0);
        if self.scale > Self::MAX_SCALE || rhs.scale > Self::MAX_SCALE {
            return self.wide_div(rhs, negative);
        }
        // The common exact case in machine words: `45000 / 30`, `1.5 / 3`.
        if let (Ok(a), Ok(b)) = (
            u64::try_from(self.mantissa().unsigned_abs()),
            u64::try_from(rhs.mantissa().unsigned_abs()),
        ) && self.scale >= rhs.scale
            && a % b == 0
        {
            let q = i128::from(a / b);
            return Self::from_parts(
                if negative { -q } else { q },
                u32::from(self.scale - rhs.scale),
            );
        }
        // (a / 10^sa) / (b / 10^sb) * 10^18 = a * 10^(18 + sb - sa) / b, and
        // 18 + sb - sa is in 0..=36.
        let max_scale = u32::from(Self::MAX_SCALE);
        let shift = max_scale + u32::from(rhs.scale) - u32::from(self.scale);
        let divisor = rhs.mantissa().unsigned_abs();
        if let Some(numerator) = self.mantissa().unsigned_abs().checked_mul(pow10u(shift)) {
            // The numerator fits in 128 bits: the same rounding without the wide division.
            let (q, r) = (numerator / divisor, numerator % divisor);
            let rest = divisor - r;
            let up = r > rest || (r == rest && q & 1 == 1);
            let magnitude = if up { q.checked_add(1)? } else { q };
            return Self::from_magnitude(negative, magnitude, max_scale);
        }
        let numerator = U256::mul(self.mantissa().unsigned_abs(), pow10u(shift));
        let magnitude = numerator.div_round_half_even(rhs.mantissa().unsigned_abs())?;
        Self::from_magnitude(negative, magnitude, max_scale)
    }

    /// [`Number::checked_div`] when an operand has more than 18 fractional
    /// digits; `rhs` is not zero.
    fn wide_div(self, rhs: Number, negative: bool) -> Option<Number> {
        let (a, b) = (
            self.mantissa().unsigned_abs(),
            rhs.mantissa().unsigned_abs(),
        );
        let max_scale = i64::from(Self::MAX_SCALE);
        // The quotient times 10^18 is a * 10^shift / b.
        let shift = max_scale + i64::from(rhs.scale) - i64::from(self.scale);
        if let Ok(up) = u32::try_from(shift) {
            // a < 10^(20 + sa), so a * 10^shift < 10^(38 + sb) <= 10^76: it fits.
            let magnitude = U256::mul_pow10(a, up)?.div_round_half_even(b)?;
            return Self::from_magnitude(negative, magnitude, u32::from(Self::MAX_SCALE));
        }
        // shift < 0: (a / b) / 10^-shift, with the remainder of a / b as the sticky part.
        let (q, r) = (a.checked_div(b)?, a.checked_rem(b)?);
        let down = u32::try_from(shift.saturating_neg()).ok()?;
        let magnitude = U256 { hi: 0, lo: q }.div_pow10_half_even(down, r != 0)?;
        Self::from_magnitude(negative, magnitude, u32::from(Self::MAX_SCALE))
    }

    /// The negated value (always in range).
    #[must_use]
    #[allow(
        clippy::should_implement_trait,
        reason = "inherent method requested by the API; `std::ops::Neg` is implemented too"
    )]
    pub fn neg(self) -> Number {
        Number::raw(self.mantissa().wrapping_neg(), self.scale)
    }

    /// The absolute value (always in range).
    #[must_use]
    pub fn abs(self) -> Number {
        Number::raw(self.mantissa().wrapping_abs(), self.scale)
    }

    /// Whether the value is zero.
    #[must_use]
    pub fn is_zero(self) -> bool {
        self.mantissa() == 0
    }

    /// Whether the value has no fractional part.
    #[must_use]
    pub fn is_integer(self) -> bool {
        self.scale == 0
    }

    /// The value as `i64`, if it is an integer that fits.
    #[must_use]
    pub fn to_i64(self) -> Option<i64> {
        if self.is_integer() {
            i64::try_from(self.mantissa()).ok()
        } else {
            None
        }
    }

    /// How a JSON number compares with `self`, as `Number::from_json(n)?.cmp(&self)` does,
    /// without building the number when that is not needed: an integer compares as an
    /// integer; a float clearly apart from `self` compares in floating point (the float and
    /// the decimal it stands for differ by far less than the gap); only a float near `self`
    /// takes the exact decimal path. `None` exactly when `from_json` gives none.
    #[must_use]
    pub(crate) fn cmp_json(self, n: &serde_json::Number) -> Option<Ordering> {
        if let Some(i) = n.as_i64() {
            return Some(if self.scale == 0 {
                i128::from(i).cmp(&self.mantissa())
            } else {
                // An integer and a value with a fractional part are never equal: compare
                // with the integer part, rounded toward negative infinity.
                let floor = self.mantissa().div_euclid(pow10(u32::from(self.scale)));
                if i128::from(i) <= floor {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            });
        }
        if n.as_u64().is_none()
            && let Some(f) = n.as_f64()
        {
            let size = f.abs();
            // In this range `from_json` always reads the float (at most 21 decimals, below
            // 10^20), so deciding here cannot hide invalid evidence.
            if (1e-5..1e15).contains(&size) {
                let approx = self.approx_f64();
                if (f - approx).abs() > 1e-9 * size.max(approx.abs()).max(1.0) {
                    return f.partial_cmp(&approx);
                }
            }
        }
        Some(Number::from_json(n)?.cmp(&self))
    }

    /// The value as the nearest `f64`, give or take a few units in the last place.
    fn approx_f64(self) -> f64 {
        #[allow(clippy::cast_precision_loss, reason = "an approximation is the point")]
        let m = self.mantissa() as f64;
        m / 10_f64.powi(i32::from(self.scale))
    }

    /// Integer quotient (truncated toward zero) and remainder of the mantissa
    /// by `10^(scale - places)`; `places < scale`.
    fn truncate_to(self, places: u32) -> (i128, i128) {
        let divisor = pow10(u32::from(self.scale).saturating_sub(places));
        (self.mantissa() / divisor, self.mantissa() % divisor)
    }

    /// Rebuilds `quotient / 10^places`, falling back to `fallback / 10^places`
    /// and then to `self` (only reachable at the edge of the range).
    fn rebuild(self, quotient: i128, fallback: i128, places: u32) -> Number {
        Self::from_parts(quotient, places)
            .or_else(|| Self::from_parts(fallback, places))
            .unwrap_or(self)
    }

    /// Rounds to `places` fractional digits (capped at 18), halves away
    /// from zero, as people round money.
    ///
    /// At the very edge of the range, where rounding away from zero would
    /// reach `10^20` (e.g. `99999999999999999999.5`), the value is truncated
    /// toward zero instead so that the result stays in range.
    #[must_use]
    pub fn round(self, places: u32) -> Number {
        let places = places.min(u32::from(Self::MAX_SCALE));
        if u32::from(self.scale) <= places {
            return self;
        }
        let (quotient, remainder) = self.truncate_to(places);
        let half = pow10(u32::from(self.scale) - places) / 2;
        let rounded = if remainder.abs() >= half {
            quotient + self.mantissa().signum()
        } else {
            quotient
        };
        self.rebuild(rounded, quotient, places)
    }

    /// The value as a JSON number: an integer when the value is an integer
    /// that fits `i64` (or `u64`), otherwise the `f64` nearest to the
    /// decimal; `Value::Null` if that is not finite.
    #[must_use]
    pub fn to_json(self) -> serde_json::Value {
        if self.is_integer() {
            if let Ok(i) = i64::try_from(self.mantissa()) {
                return serde_json::Value::from(i);
            }
            if let Ok(u) = u64::try_from(self.mantissa()) {
                return serde_json::Value::from(u);
            }
        }
        self.to_string()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

impl std::ops::Neg for Number {
    type Output = Number;

    fn neg(self) -> Number {
        Number::neg(self)
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        // Integer parts first, then fractional parts scaled to 38 digits;
        // both parts carry the sign of the value, so the lexicographic
        // order is the numeric order. Nothing here can overflow.
        // Same scale, or one rescaled without overflow: the mantissas' order.
        match self.scale.cmp(&other.scale) {
            Ordering::Equal => return self.mantissa().cmp(&other.mantissa()),
            Ordering::Less => {
                let up = pow10(u32::from(other.scale - self.scale));
                if let Some(a) = self.mantissa().checked_mul(up) {
                    return a.cmp(&other.mantissa());
                }
            }
            Ordering::Greater => {
                let up = pow10(u32::from(self.scale - other.scale));
                if let Some(b) = other.mantissa().checked_mul(up) {
                    return self.mantissa().cmp(&b);
                }
            }
        }
        // frac < 10^scale, so frac * 10^(22 - scale) < 10^22 fits.
        let split = |n: &Number| {
            let (int, frac) = n.truncate_to(0);
            (
                int,
                frac * pow10(u32::from(Self::MAX_EXACT_SCALE - n.scale)),
            )
        };
        split(self).cmp(&split(other))
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Number {
    /// Plain decimal notation without exponent or trailing zeros, e.g.
    /// `60`, `0.22`, `-1.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let magnitude = self.mantissa().unsigned_abs();
        let unit = pow10u(u32::from(self.scale));
        if self.mantissa() < 0 {
            f.write_str("-")?;
        }
        let width = usize::from(self.scale);
        // In machine words when they hold it (128-bit division is a library call).
        if let (Ok(m), Ok(u)) = (u64::try_from(magnitude), u64::try_from(unit)) {
            write!(f, "{}", m / u)?;
            if self.scale > 0 {
                write!(f, ".{:0width$}", m % u)?;
            }
            return Ok(());
        }
        write!(f, "{}", magnitude / unit)?;
        if self.scale > 0 {
            write!(f, ".{:0width$}", magnitude % unit)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )]

    use super::*;
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};

    fn n(text: &str) -> Number {
        Number::parse(text).unwrap_or_else(|| panic!("cannot parse {text:?}"))
    }

    /// Numbers of every scale and size, from a fixed pseudo-random sequence.
    fn sample(count: usize) -> Vec<Number> {
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        (0..count)
            .filter_map(|_| {
                let digits = u32::try_from(next() % 38).unwrap_or(0);
                let magnitude =
                    (u128::from(next()) << 64 | u128::from(next())) % pow10u(digits).max(1);
                let scale = u32::try_from(next() % 19).unwrap_or(0);
                let mantissa = i128::try_from(magnitude).ok()?;
                Number::from_parts(if next() % 2 == 0 { mantissa } else { -mantissa }, scale)
            })
            .collect()
    }

    /// The fast paths of comparison and division give what the general ones give.
    #[test]
    fn fast_paths_agree_with_the_general_ones() {
        let values = sample(400);
        assert!(values.len() > 300);
        for a in &values {
            for b in &values {
                let split = |n: &Number| {
                    let (int, frac) = n.truncate_to(0);
                    (int, frac * pow10(u32::from(Number::MAX_SCALE - n.scale)))
                };
                assert_eq!(a.cmp(b), split(a).cmp(&split(b)), "{a} vs {b}");
                if b.is_zero() {
                    continue;
                }
                let negative = (a.mantissa() < 0) != (b.mantissa() < 0);
                let max_scale = u32::from(Number::MAX_SCALE);
                let shift = max_scale + u32::from(b.scale) - u32::from(a.scale);
                let wide = U256::mul(a.mantissa().unsigned_abs(), pow10u(shift))
                    .div_round_half_even(b.mantissa().unsigned_abs())
                    .and_then(|m| Number::from_magnitude(negative, m, max_scale));
                assert_eq!(a.checked_div(*b), wide, "{a} / {b}");
            }
        }
    }

    fn hash_of(value: Number) -> u64 {
        let mut hasher = DefaultHasher::new();
        value.hash(&mut hasher);
        hasher.finish()
    }

    #[test]
    fn point_one_plus_point_two() {
        assert_eq!(n("0.1").checked_add(n("0.2")), Some(n("0.3")));
        assert_eq!(n("0.3").checked_sub(n("0.1")), Some(n("0.2")));
    }

    #[test]
    fn parse_display_round_trip() {
        for text in [
            "0",
            "60",
            "0.22",
            "-1.5",
            "1130.769230769230769231",
            "99999999999999999999",
            "-99999999999999999999.999999999999999999",
            "0.000000000000000001",
            "-0.000000000000000001",
            "123456789.123456789",
        ] {
            assert_eq!(n(text).to_string(), text);
        }
    }

    #[test]
    fn parse_forms() {
        assert_eq!(n("1.50"), n("1.5"));
        assert_eq!(n("-0"), Number::ZERO);
        assert_eq!(n("0.000"), Number::ZERO);
        assert_eq!(n("007"), n("7"));
        assert_eq!(n("1e3").to_string(), "1000");
        assert_eq!(n("1E+3").to_string(), "1000");
        assert_eq!(n("1.5e-3").to_string(), "0.0015");
        assert_eq!(n("12345e-2").to_string(), "123.45");
        assert_eq!(n("0.1e1"), Number::ONE);
        assert_eq!(n("0e999999999999999999999999"), Number::ZERO);
        assert_eq!(n("1e-18").to_string(), "0.000000000000000001");
        assert_eq!(n("1.0000000000000000000000"), Number::ONE);
        assert_eq!(
            n("10000000000000000000000e-3").to_string(),
            "10000000000000000000"
        );
    }

    #[test]
    fn parse_rejections() {
        for text in [
            "", "-", "+1", ".5", "5.", "1..2", "1.2.3", " 1", "1 ", "1e", "1e+", "e3", "1x", "--1",
            "1_000", "0x10", "NaN", "inf", "1,5", "١",
        ] {
            assert_eq!(Number::parse(text), None, "{text:?}");
        }
        // More than 18 fractional digits: no rounding in parse.
        assert_eq!(Number::parse("0.1234567890123456789"), None);
        assert_eq!(Number::parse("1e-19"), None);
        assert_eq!(Number::parse("1e-99999999999999999999999"), None);
        // Out of range.
        assert_eq!(Number::parse("100000000000000000000"), None);
        assert_eq!(Number::parse("-100000000000000000000"), None);
        assert_eq!(Number::parse("1e20"), None);
        assert_eq!(Number::parse("1e99999999999999999999999"), None);
    }

    #[test]
    fn normalization_and_hash() {
        assert_eq!(n("1.50"), n("1.5"));
        assert_eq!(hash_of(n("1.50")), hash_of(n("1.5")));
        assert_eq!(hash_of(n("2.000")), hash_of(Number::from_i64(2).unwrap()));
        assert_eq!(n("0.5").checked_add(n("0.5")), Some(Number::ONE));
        assert!(n("0.5").checked_add(n("0.5")).unwrap().is_integer());
        assert_eq!(n("2.5").checked_mul(n("4")).unwrap().to_string(), "10");
    }

    #[test]
    fn chained_operations() {
        let left_to_right = n("1500")
            .checked_div(n("195"))
            .and_then(|x| x.checked_mul(n("98")))
            .and_then(|x| x.checked_mul(n("1.5")))
            .unwrap();
        // The quotient is rounded to 18 digits before the multiplications,
        // which amplify that rounding error by 147.
        assert_eq!(left_to_right.to_string(), "1130.769230769230769276");
        let exact = n("1130.769230769230769231");
        let error = left_to_right.checked_sub(exact).unwrap().abs();
        assert!(error < n("1e-16"));
        // Dividing last gives the correctly rounded value.
        let divide_last = n("1500")
            .checked_mul(n("98"))
            .and_then(|x| x.checked_mul(n("1.5")))
            .and_then(|x| x.checked_div(n("195")))
            .unwrap();
        assert_eq!(divide_last.to_string(), "1130.769230769230769231");
    }

    #[test]
    fn division() {
        assert_eq!(n("1").checked_div(Number::ZERO), None);
        assert_eq!(Number::ZERO.checked_div(Number::ZERO), None);
        assert_eq!(n("1").checked_div(n("4")), Some(n("0.25")));
        assert_eq!(
            n("-1").checked_div(n("3")).unwrap().to_string(),
            "-0.333333333333333333"
        );
        assert_eq!(
            n("2").checked_div(n("3")).unwrap().to_string(),
            "0.666666666666666667"
        );
        assert_eq!(
            n("-2").checked_div(n("-3")).unwrap().to_string(),
            "0.666666666666666667"
        );
        assert_eq!(
            n("0.000000000000000001").checked_div(n("3")),
            Some(Number::ZERO)
        );
        // Half-to-even: 5e-19 rounds to 0, 15e-19 rounds to 2e-18.
        assert_eq!(
            n("0.000000000000000001").checked_div(n("2")),
            Some(Number::ZERO)
        );
        assert_eq!(
            n("0.000000000000000003").checked_div(n("2")),
            Some(n("0.000000000000000002"))
        );
        assert_eq!(
            n("99999999999999999999").checked_div(n("0.000000000000000001")),
            None
        );
        assert_eq!(
            n("99999999999999999999").checked_div(n("-1")),
            Some(n("-99999999999999999999"))
        );
        assert_eq!(
            n("99999999999999999999.999999999999999999")
                .checked_div(n("99999999999999999999.999999999999999999")),
            Some(Number::ONE)
        );
        assert_eq!(n("7.5").checked_div(n("0.25")), Some(n("30")));
    }

    #[test]
    fn multiplication_rounding_and_overflow() {
        let big = n("10000000000000000000"); // 10^19
        assert_eq!(big.checked_mul(big), None);
        let max = Number::from_i64(i64::MAX).unwrap();
        assert_eq!(max.checked_mul(max), None);
        assert_eq!(max.checked_mul(max.neg()), None);
        let tiny = n("0.000000000000000001");
        assert_eq!(tiny.checked_mul(tiny), Some(Number::ZERO));
        assert_eq!(
            n("0.123456789012345678")
                .checked_mul(n("0.5"))
                .unwrap()
                .to_string(),
            "0.061728394506172839"
        );
        assert_eq!(
            n("0.000000000000000005").checked_mul(n("0.1")),
            Some(Number::ZERO)
        );
        assert_eq!(
            n("0.000000000000000015").checked_mul(n("0.1")),
            Some(n("0.000000000000000002"))
        );
        let widest = n("99999999999999999999.999999999999999999");
        assert_eq!(widest.checked_mul(widest), None);
        assert_eq!(widest.checked_mul(Number::ONE), Some(widest));
        assert_eq!(widest.checked_mul(n("-1")), Some(widest.neg()));
        assert_eq!(widest.checked_mul(tiny).unwrap().to_string(), "100");
        assert_eq!(n("-1.5").checked_mul(n("2")), Some(n("-3")));
    }

    #[test]
    fn addition_overflow() {
        let widest = n("99999999999999999999.999999999999999999");
        assert_eq!(widest.checked_add(n("0.000000000000000001")), None);
        assert_eq!(widest.checked_add(widest), None);
        assert_eq!(widest.neg().checked_sub(widest), None);
        assert_eq!(widest.checked_sub(widest), Some(Number::ZERO));
        assert_eq!(
            n("99999999999999999999")
                .checked_add(n("0.5"))
                .unwrap()
                .to_string(),
            "99999999999999999999.5"
        );
    }

    #[test]
    fn ordering() {
        let mut values = vec![
            n("-1.5"),
            n("-1.25"),
            n("-1"),
            n("-0.000000000000000001"),
            Number::ZERO,
            n("0.5"),
            n("1"),
            n("1.05"),
            n("1.5"),
            n("10"),
            n("-99999999999999999999.999999999999999999"),
            n("99999999999999999999.999999999999999999"),
        ];
        let expected = [
            "-99999999999999999999.999999999999999999",
            "-1.5",
            "-1.25",
            "-1",
            "-0.000000000000000001",
            "0",
            "0.5",
            "1",
            "1.05",
            "1.5",
            "10",
            "99999999999999999999.999999999999999999",
        ];
        values.reverse();
        values.sort();
        let shown: Vec<String> = values.iter().map(ToString::to_string).collect();
        assert_eq!(shown, expected);
        assert!(n("-2") < n("-1.999999999999999999"));
        assert!(n("0.3") > n("0.29999"));
        assert_eq!(n("1.50").cmp(&n("1.5")), Ordering::Equal);
    }

    #[test]
    fn from_f64_conversions() {
        assert_eq!(Number::from_f64(7.69), Some(n("7.69")));
        assert_eq!(Number::from_f64(0.1), Some(n("0.1")));
        assert_eq!(Number::from_f64(-1.5), Some(n("-1.5")));
        assert_eq!(Number::from_f64(-0.0), Some(Number::ZERO));
        assert_eq!(Number::from_f64(1e19), Some(n("10000000000000000000")));
        assert_eq!(Number::from_f64(1e20), None);
        assert_eq!(Number::from_f64(1e300), None);
        assert_eq!(Number::from_f64(f64::NAN), None);
        assert_eq!(Number::from_f64(f64::INFINITY), None);
        assert_eq!(Number::from_f64(f64::NEG_INFINITY), None);
        assert_eq!(Number::from_f64(f64::MIN_POSITIVE), Some(Number::ZERO));
        assert_eq!(Number::from_f64(5e-324), Some(Number::ZERO));
        assert_eq!(Number::from_f64(1e-18), Some(n("0.000000000000000001")));
        // 1.5e-18 rounds half-to-even to 2e-18; 2.5e-18 to 2e-18.
        assert_eq!(Number::from_f64(1.5e-18), Some(n("0.000000000000000002")));
        assert_eq!(Number::from_f64(2.5e-18), Some(n("0.000000000000000002")));
        assert_eq!(Number::from_f64(5e-19), Some(Number::ZERO));
        assert_eq!(Number::from_f64(5.1e-19), Some(n("0.000000000000000001")));
        assert_eq!(
            Number::from_f64(1.234_567_890_123_456_7e-5),
            Some(n("0.000012345678901235"))
        );
    }

    #[test]
    fn json_conversions() {
        let json = |text: &str| -> serde_json::Number { serde_json::from_str(text).unwrap() };
        assert_eq!(Number::from_json(&json("42")), Some(n("42")));
        assert_eq!(Number::from_json(&json("-42")), Some(n("-42")));
        assert_eq!(
            Number::from_json(&json("18446744073709551615")),
            Some(n("18446744073709551615"))
        );
        assert_eq!(Number::from_json(&json("7.69")), Some(n("7.69")));
        assert_eq!(Number::from_json(&json("1e300")), None);

        assert_eq!(n("60").to_json(), serde_json::json!(60));
        assert_eq!(n("-60").to_json(), serde_json::json!(-60));
        assert_eq!(n("0.22").to_json(), serde_json::json!(0.22));
        assert_eq!(
            n("18446744073709551615").to_json(),
            serde_json::json!(18_446_744_073_709_551_615_u64)
        );
        assert_eq!(n("99999999999999999999").to_json(), serde_json::json!(1e20));
        assert_eq!(Number::ZERO.to_json().to_string(), "0");
    }

    #[test]
    fn rounding() {
        assert_eq!(n("2.5").round(0), n("3"));
        assert_eq!(n("-2.5").round(0), n("-3"));
        assert_eq!(n("2.4999").round(0), n("2"));
        assert_eq!(n("1.005").round(2), n("1.01"));
        assert_eq!(n("-1.005").round(2), n("-1.01"));
        assert_eq!(n("1.004").round(2), n("1"));
        assert_eq!(n("0.125").round(2), n("0.13"));
        assert_eq!(n("1.5").round(5), n("1.5"));
        assert_eq!(
            n("0.000000000000000001").round(u32::MAX),
            n("0.000000000000000001")
        );
        assert_eq!(n("99.95").round(1), n("100"));
        // Edge of the range: truncated instead of leaving it.
        assert_eq!(
            n("99999999999999999999.5").round(0),
            n("99999999999999999999")
        );
        assert_eq!(
            n("-99999999999999999999.5").round(0),
            n("-99999999999999999999")
        );
    }

    #[test]
    fn small_helpers() {
        assert!(Number::ZERO.is_zero());
        assert!(!Number::ONE.is_zero());
        assert!(n("2.0").is_integer());
        assert!(!n("2.1").is_integer());
        assert_eq!(n("-7").to_i64(), Some(-7));
        assert_eq!(n("7.5").to_i64(), None);
        assert_eq!(n("10000000000000000000").to_i64(), None);
        assert_eq!(Number::from_i64(i64::MIN).unwrap().to_i64(), Some(i64::MIN));
        assert_eq!(n("-1.5").abs(), n("1.5"));
        assert_eq!(n("1.5").neg(), n("-1.5"));
        assert_eq!(-n("1.5"), n("-1.5"));
        assert_eq!(Number::ZERO.neg(), Number::ZERO);
        assert_eq!(Number::ZERO.to_string(), "0");
    }

    #[test]
    fn wide_division_helper() {
        let product = U256::mul(u128::MAX, u128::MAX);
        assert_eq!(
            product,
            U256 {
                hi: u128::MAX - 1,
                lo: 1
            }
        );
        let (q, r) = product.div_rem(u128::MAX).unwrap();
        assert_eq!(
            (q, r),
            (
                U256 {
                    hi: 0,
                    lo: u128::MAX
                },
                0
            )
        );
        let (q, r) = U256 { hi: 1, lo: 5 }.div_rem(3).unwrap();
        // (2^128 + 5) / 3: 2^128 = 3 * 0x5555...5555 + 1, so the quotient is
        // 0x5555...5557 and the remainder 0.
        assert_eq!(
            (q, r),
            (
                U256 {
                    hi: 0,
                    lo: u128::MAX / 3 + 2
                },
                0
            )
        );
        assert_eq!(U256 { hi: 1, lo: 0 }.div_rem(0), None);
    }
}

#[cfg(test)]
mod exact_evidence_tests {
    //! Numbers read from evidence beyond 18 fractional digits: exact, compared
    //! exactly, and rounded to 18 digits only by arithmetic.
    #![allow(clippy::unwrap_used)]
    use super::Number;

    fn json(text: &str) -> Option<Number> {
        Number::from_json(&serde_json::from_str(text).unwrap())
    }

    fn n(text: &str) -> Number {
        Number::parse(text).unwrap()
    }

    #[test]
    fn evidence_is_read_exactly_or_not_at_all() {
        let fee = json("1e-20").unwrap();
        assert_eq!(fee.to_string(), "0.00000000000000000001");
        assert_ne!(fee, Number::ZERO);
        assert!(fee > Number::ZERO && fee < n("0.000000000000000001"));
        assert!(json("-1e-20").unwrap() < Number::ZERO);
        assert!(json("1e-20").unwrap() < json("2e-20").unwrap());
        assert_eq!(json("7.69"), Some(n("7.69")));
        assert_eq!(
            json("1.23456789012345e-8").unwrap().to_string(),
            "0.0000000123456789012345"
        );
        assert_eq!(
            json("1e-22").unwrap().to_string(),
            format!("0.{}1", "0".repeat(21))
        );
        assert!(json("1e-22").unwrap() > Number::ZERO);
        assert_eq!(
            json("99999999999999999999.5"), // the nearest double is 1e20
            None
        );
        for (text, reason) in [
            (
                "1e-23",
                "number `1e-23` has more decimal places than the 22 the rules compare exactly",
            ),
            (
                "1.5e-22",
                "number `1.5e-22` has more decimal places than the 22 the rules compare exactly",
            ),
            ("1e20", "number `1e20` is out of range"),
            ("-1e300", "number `-1e300` is out of range"),
        ] {
            let number: serde_json::Number = serde_json::from_str(text).unwrap();
            assert_eq!(Number::from_json(&number), None, "{text}");
            // The JSON reader may give 1e-23 as 1.0000000000000001e-23: only the tail is fixed.
            let (_, tail) = reason.split_once("` ").unwrap();
            assert!(Number::json_misfit(&number).ends_with(tail), "{text}");
        }
    }

    #[test]
    fn arithmetic_on_wide_values_rounds_to_18_digits() {
        let fee = json("1e-20").unwrap();
        assert_eq!(fee.checked_add(Number::ZERO), Some(Number::ZERO));
        assert_eq!(fee.checked_add(Number::ONE), Some(Number::ONE));
        assert_eq!(Number::ONE.checked_sub(fee), Some(Number::ONE));
        // Half-to-even, and the part beyond decides a tie.
        assert_eq!(
            json("5e-19").unwrap().checked_add(Number::ZERO),
            Some(Number::ZERO)
        );
        assert_eq!(
            json("1.5e-18").unwrap().checked_add(Number::ZERO),
            Some(n("0.000000000000000002"))
        );
        assert_eq!(
            json("5.001e-19").unwrap().checked_add(Number::ZERO),
            Some(n("0.000000000000000001"))
        );
        // Exact sums of wide values are rounded once, not operand by operand.
        let half = json("5e-19").unwrap();
        assert_eq!(half.checked_add(half), Some(n("0.000000000000000001")));
        assert_eq!(
            json("-3e-20").unwrap().checked_add(json("1e-20").unwrap()),
            Some(Number::ZERO)
        );
        assert_eq!(
            json("-0.7e-18")
                .unwrap()
                .checked_sub(json("0.2e-18").unwrap()),
            Some(n("-0.000000000000000001"))
        );
        // Products and quotients.
        let big = n("10000000000000000000"); // 10^19
        assert_eq!(fee.checked_mul(big), Some(n("0.1")));
        assert_eq!(fee.checked_mul(fee), Some(Number::ZERO));
        assert_eq!(
            json("3e-22").unwrap().checked_mul(n("1000")),
            Some(Number::ZERO)
        );
        assert_eq!(fee.checked_div(fee), Some(Number::ONE));
        assert_eq!(Number::ONE.checked_div(fee), None); // 10^20: out of range
        assert_eq!(n("0.01").checked_div(fee), Some(n("1000000000000000000")));
        assert_eq!(
            json("3e-19").unwrap().checked_div(Number::ONE),
            Some(Number::ZERO)
        );
        assert_eq!(
            json("7e-19").unwrap().checked_div(Number::ONE),
            Some(n("0.000000000000000001"))
        );
        assert_eq!(
            json("1e-21").unwrap().checked_div(n("3")),
            Some(Number::ZERO)
        );
        assert_eq!(
            n("0.2")
                .checked_div(json("3e-20").unwrap())
                .unwrap()
                .to_string(),
            "6666666666666666666.666666666666666667"
        );
        // Rounding and the other helpers.
        assert_eq!(json("1.23456e-17").unwrap().round(2), Number::ZERO);
        assert_eq!(fee.abs(), fee);
        assert_eq!(fee.neg().to_string(), "-0.00000000000000000001");
        assert_eq!(fee.to_json(), serde_json::json!(1e-20));
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::Number;

    /// The fast path of `from_f64` agrees with the shortest round-trip formatting.
    #[test]
    fn fast_path_agrees_with_formatting() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 7) as i32;
            #[allow(clippy::cast_precision_loss)]
            let f = ((x >> 20) % 2_000_000_000) as f64 / 10f64.powi(digits) - 1000.0;
            let slow = super::Literal::split(&format!("{f:e}"))
                .and_then(|l| l.to_number(Number::MAX_SCALE, true));
            assert_eq!(Number::from_f64(f), slow, "{f}");
        }
    }
}

#[cfg(test)]
mod doc_examples {
    //! The examples of the crate-internal API, run as unit tests.
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// From the docs of `pub struct Number`.
    #[test]
    fn exact_decimal_sums() {
        let a = Number::parse("0.1").unwrap();
        let b = Number::parse("0.2").unwrap();
        assert_eq!(a.checked_add(b), Number::parse("0.3"));
        assert_eq!(Number::parse("1.50"), Number::parse("1.5"));

        let ratio = Number::parse("2")
            .unwrap()
            .checked_div(Number::parse("3").unwrap())
            .unwrap();
        assert_eq!(ratio.to_string(), "0.666666666666666667");
        assert_eq!(Number::parse("1e21"), None); // out of range
    }

    /// From the docs of `pub fn from_i64(i: i64) -> Option<Number>`.
    #[test]
    fn from_i64_prints_plainly() {
        assert_eq!(Number::from_i64(60).unwrap().to_string(), "60");
    }

    /// From the docs of `pub fn parse(text: &str) -> Option<Number>`.
    #[test]
    fn parse_is_exact_and_bounded() {
        assert_eq!(Number::parse("1.50"), Number::parse("1.5"));
        assert_eq!(Number::parse("-2.5e3").unwrap().to_string(), "-2500");
        assert_eq!(Number::parse("0.1234567890123456789"), None); // 19 fractional digits
        assert_eq!(Number::parse("1e20"), None); // out of range
    }

    /// From the docs of `pub fn from_f64(f: f64) -> Option<Number>`.
    #[test]
    fn from_f64_takes_the_shortest_decimal() {
        assert_eq!(Number::from_f64(7.69), Number::parse("7.69"));
        assert_eq!(Number::from_f64(f64::NAN), None);
    }

    /// From the docs of `pub fn checked_div(self, rhs: Number) -> Option<Number>`.
    #[test]
    fn checked_div_keeps_18_digits() {
        let one = Number::ONE;
        let three = Number::from_i64(3).unwrap();
        assert_eq!(
            one.checked_div(three).unwrap().to_string(),
            "0.333333333333333333"
        );
        assert_eq!(one.checked_div(Number::ZERO), None);
    }

    /// From the docs of `pub fn round(self, places: u32) -> Number`.
    #[test]
    fn round_half_away_from_zero() {
        let n = |s| Number::parse(s).unwrap();
        assert_eq!(n("2.5").round(0), n("3"));
        assert_eq!(n("-2.5").round(0), n("-3"));
        assert_eq!(n("1.005").round(2), n("1.01"));
    }

    /// `cmp_json` orders a JSON number against a bound exactly as reading it with
    /// `from_json` and comparing would: integers, floats near and far from the bound
    /// (`0.1 + 0.2` is not `0.3`), tiny and huge floats, a fractional bound.
    #[test]
    fn cmp_json_agrees_with_reading_the_number() {
        let bounds = [
            "0",
            "60",
            "0.3",
            "1500",
            "-2.5",
            "1e-18",
            "99999999999999999999",
            "7.69",
        ];
        let texts = [
            "0",
            "60",
            "61",
            "-3",
            "59.99999999999999",
            "60.00000000000001",
            "0.30000000000000004",
            "0.3",
            "0.1",
            "1e-20",
            "1e-30",
            "1e300",
            "-2.5",
            "-2.4999999999999996",
            "7.69",
            "1500",
            "1499.9999999999998",
            "18446744073709551615",
            "123456789012345.6",
        ];
        for b in bounds {
            let bound = Number::parse(b).expect("a bound");
            for t in texts {
                let json: serde_json::Number = serde_json::from_str(t).expect("a JSON number");
                let want = Number::from_json(&json).map(|x| x.cmp(&bound));
                assert_eq!(bound.cmp_json(&json), want, "{t} against {b}");
            }
        }
    }
}
