//! Calendar dates and durations with exact calendar arithmetic.
//!
//! [`Date`] is a day of the proleptic Gregorian calendar between 0001-01-01
//! and 9999-12-31. [`Duration`] is either a number of days or a number of
//! months; adding months clamps the day to the end of the target month.

use std::cmp::Ordering;
use std::fmt;

/// The first valid year.
const MIN_YEAR: i32 = 1;
/// The last valid year.
const MAX_YEAR: i32 = 9999;
/// Days from 1970-01-01 to 0001-01-01.
const MIN_DAYS: i64 = days_from_civil(1, 1, 1);
/// Days from 1970-01-01 to 9999-12-31.
const MAX_DAYS: i64 = days_from_civil(9999, 12, 31);

/// Whether `year` is a leap year of the Gregorian calendar.
const fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in `month` (1..=12) of `year`; 0 for an invalid month.
const fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a valid civil date (Howard Hinnant's
/// `days_from_civil`). All intermediate values are small for years in
/// 1..=9999, month in 1..=12 and day in 1..=31.
const fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let month = month as i64;
    let day = day as i64;
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400); // [0, 399]
    let shifted_month = if month > 2 { month - 3 } else { month + 9 }; // March = 0
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1; // [0, 365]
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date `(year, month, day)` of a day count since 1970-01-01
/// (Howard Hinnant's `civil_from_days`). No overflow for any `i32` input.
fn civil_from_days(days: i32) -> (i64, u32, u32) {
    let shifted = i64::from(days) + 719_468; // days since 0000-03-01
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097); // [0, 146096]
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // [0, 399]
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // [0, 365]
    let shifted_month = (5 * day_of_year + 2) / 153; // [0, 11], March = 0
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1; // [1, 31]
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    }; // [1, 12]
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// A calendar day of the proleptic Gregorian calendar, years 1 to 9999.
///
/// Dates order chronologically.
///
/// ```
/// use conduct::report::Date;
///
/// let audit = Date::parse("2024-01-31").unwrap();
/// let deadline = Date::parse("2024-02-29").unwrap(); // a leap day
/// assert!(audit < deadline);
/// assert_eq!(deadline.days_since(audit), 29);
/// assert_eq!(Date::parse("2023-02-29"), None);
/// ```
#[derive(Default, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01, within `MIN_DAYS..=MAX_DAYS`.
    days: i32,
}

impl Date {
    /// Parses a strict `YYYY-MM-DD` date: exactly four, two and two ASCII
    /// digits separated by `-`, with a valid month and day (leap years
    /// included). Surrounding whitespace, signs and short fields are rejected.
    /// [`str::parse`] says why a text is not a date ([`ParseDateError`]).
    ///
    /// ```
    /// use conduct::report::Date;
    /// assert!(Date::parse("2024-02-29").is_some());
    /// assert_eq!(Date::parse("2023-02-29"), None);
    /// assert_eq!(Date::parse("2024-1-01"), None);
    /// ```
    #[must_use]
    pub fn parse(text: &str) -> Option<Date> {
        text.parse().ok()
    }

    /// The date with the given year (1..=9999), month (1..=12) and day of
    /// the month; `None` if there is no such day.
    ///
    /// ```
    /// use conduct::report::Date;
    /// assert_eq!(Date::from_ymd(2024, 2, 29).unwrap().ymd(), (2024, 2, 29));
    /// assert_eq!(Date::from_ymd(2100, 2, 29), None);
    /// ```
    #[must_use]
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year)
            || !(1..=days_in_month(i64::from(year), month)).contains(&day)
        {
            return None;
        }
        let days = days_from_civil(i64::from(year), month, day);
        Some(Date {
            days: i32::try_from(days).ok()?,
        })
    }

    /// The date `days` days after 1970-01-01, if within the valid years.
    fn from_days(days: i64) -> Option<Date> {
        if (MIN_DAYS..=MAX_DAYS).contains(&days) {
            Some(Date {
                days: i32::try_from(days).ok()?,
            })
        } else {
            None
        }
    }

    /// The year (1..=9999).
    #[must_use]
    pub fn year(self) -> i32 {
        self.ymd().0
    }

    /// The month (1..=12).
    #[must_use]
    pub fn month(self) -> u32 {
        self.ymd().1
    }

    /// The day of the month (1..=31).
    #[must_use]
    pub fn day(self) -> u32 {
        self.ymd().2
    }

    /// The year, month and day of the month.
    #[must_use]
    pub fn ymd(self) -> (i32, u32, u32) {
        let (year, month, day) = civil_from_days(self.days);
        (i32::try_from(year).unwrap_or(MIN_YEAR), month, day)
    }

    /// The date `duration` later (earlier if negative); `None` outside the
    /// years 1 to 9999.
    ///
    /// Days move day by day. Months move the month and then clamp the day to
    /// the length of the target month, so 2024-01-31 plus one month is
    /// 2024-02-29 and 2024-02-29 plus twelve months is 2025-02-28.
    #[must_use]
    pub(crate) fn checked_add(self, duration: Duration) -> Option<Date> {
        match duration {
            Duration::Days(n) => Date::from_days(i64::from(self.days).checked_add(n)?),
            Duration::Months(n) => {
                let (year, month, day) = self.ymd();
                let month_index = i64::from(year)
                    .checked_mul(12)?
                    .checked_add(i64::from(month) - 1)?
                    .checked_add(n)?;
                let target_year = i32::try_from(month_index.div_euclid(12)).ok()?;
                let target_month = u32::try_from(month_index.rem_euclid(12) + 1).ok()?;
                let target_day = day.min(days_in_month(i64::from(target_year), target_month));
                Date::from_ymd(target_year, target_month, target_day)
            }
        }
    }

    /// The date `duration` earlier (later if negative), with the same rules
    /// as [`Date::checked_add`]: 2024-03-31 minus one month is 2024-02-29.
    #[must_use]
    pub(crate) fn checked_sub(self, duration: Duration) -> Option<Date> {
        // A duration whose negation overflows is far outside the valid range.
        self.checked_add(duration.checked_neg()?)
    }

    /// The number of days from `earlier` to `self` (negative if `self` is
    /// before `earlier`).
    #[must_use]
    pub fn days_since(self, earlier: Date) -> i64 {
        i64::from(self.days) - i64::from(earlier.days)
    }

    /// The duration from `earlier` to `self`, in days.
    #[must_use]
    pub(crate) fn duration_since(self, earlier: Date) -> Duration {
        Duration::Days(self.days_since(earlier))
    }

    /// The age in completed years on the date `on` of someone born on
    /// `birth`: the largest `y >= 0` with `birth + Months(12 * y) <= on`.
    /// `None` if `on` is before `birth`.
    ///
    /// This uses the same month-end clamping as adding months to a date, so
    /// someone born on 29 February has a birthday on 28 February in common
    /// years (and on 29 February in leap years).
    ///
    /// ```
    /// use conduct::report::Date;
    /// let birth = Date::parse("2000-02-29").unwrap();
    /// assert_eq!(Date::age_on(birth, Date::parse("2023-02-28").unwrap()), Some(23));
    /// assert_eq!(Date::age_on(birth, Date::parse("2024-02-28").unwrap()), Some(23));
    /// assert_eq!(Date::age_on(birth, Date::parse("2024-02-29").unwrap()), Some(24));
    /// ```
    #[must_use]
    pub fn age_on(birth: Date, on: Date) -> Option<i64> {
        if on < birth {
            return None;
        }
        let (by, bm, bd) = birth.ymd();
        let (oy, om, od) = on.ymd();
        let years = i64::from(oy) - i64::from(by);
        // The anniversary in `on`'s year, clamped to the month's end as adding months is (a
        // birthday on 29 February falls on the 28th in other years); if it has not been
        // reached yet, the previous one has.
        let anniversary = (bm, bd.min(days_in_month(i64::from(oy), bm)));
        Some(if anniversary > (om, od) {
            years - 1
        } else {
            years
        })
    }
}

impl fmt::Display for Date {
    /// Formats as `YYYY-MM-DD`, zero padded (e.g. `0999-01-01`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

/// Why a text is not a [`Date`]: the wrong form, or a form that names no day of the calendar.
///
/// ```
/// use conduct::report::{Date, ParseDateError};
///
/// let error = "2024-02-30".parse::<Date>().unwrap_err();
/// assert!(matches!(error, ParseDateError::NoSuchDay { .. }));
/// assert_eq!(error.to_string(), "`2024-02-30` is not a date: February 2024 has 29 days");
/// let error = "31/01/2024".parse::<Date>().unwrap_err();
/// assert_eq!(error.to_string(), "`31/01/2024` is not a date in the form YYYY-MM-DD");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseDateError {
    /// The text is not four, two and two digits separated by `-`.
    #[error("`{text}` is not a date in the form YYYY-MM-DD")]
    Form {
        /// The text given.
        text: String,
    },
    /// The form is right, but the calendar has no such day (`2024-02-30`, `2024-13-01`,
    /// `0000-01-01`).
    #[error("`{text}` is not a date: {reason}")]
    NoSuchDay {
        /// The text given.
        text: String,
        /// Why not, e.g. `February 2024 has 29 days`.
        reason: String,
    },
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl std::str::FromStr for Date {
    type Err = ParseDateError;

    /// Parses a strict `YYYY-MM-DD` date, as [`Date::parse`] does.
    fn from_str(text: &str) -> Result<Date, ParseDateError> {
        let form = || ParseDateError::Form {
            text: text.to_string(),
        };
        let &[y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = text.as_bytes() else {
            return Err(form());
        };
        let number = |digits: &[u8]| {
            digits.iter().try_fold(0_u32, |acc, &b| {
                b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
            })
        };
        let (Some(year), Some(month), Some(day)) = (
            number(&[y1, y2, y3, y4]),
            number(&[m1, m2]),
            number(&[d1, d2]),
        ) else {
            return Err(form());
        };
        let no_such_day = |reason: String| ParseDateError::NoSuchDay {
            text: text.to_string(),
            reason,
        };
        let year = i32::try_from(year).map_err(|_| form())?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(no_such_day("years run from 0001 to 9999".to_string()));
        }
        let Some(name) = month
            .checked_sub(1)
            .and_then(|i| MONTH_NAMES.get(i as usize))
        else {
            return Err(no_such_day(format!("there is no month {month:02}")));
        };
        Date::from_ymd(year, month, day).ok_or_else(|| {
            let days = days_in_month(i64::from(year), month);
            no_such_day(format!("{name} {year} has {days} days"))
        })
    }
}

impl serde::Serialize for Date {
    /// As text, `YYYY-MM-DD`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    /// From text, `YYYY-MM-DD`, refusing days the calendar does not have.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A calendar duration: a number of days or a number of months.
///
/// Weeks are expressed as `Days(7 * n)` and years as `Months(12 * n)`. Days
/// and months are not comparable with each other, since a month has no
/// fixed number of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Duration {
    /// A number of days (may be negative).
    Days(i64),
    /// A number of months (may be negative).
    Months(i64),
}

impl Duration {
    /// `n` days (always `Some`; `Option` for uniformity with the other constructors).
    #[must_use]
    pub(crate) fn days(n: i64) -> Option<Duration> {
        Some(Duration::Days(n))
    }

    /// `n` weeks as `Days(7 * n)`; `None` on overflow.
    #[must_use]
    pub(crate) fn weeks(n: i64) -> Option<Duration> {
        n.checked_mul(7).map(Duration::Days)
    }

    /// `n` months (always `Some`; `Option` for uniformity with the other constructors).
    #[must_use]
    pub(crate) fn months(n: i64) -> Option<Duration> {
        Some(Duration::Months(n))
    }

    /// `n` years as `Months(12 * n)`; `None` on overflow.
    #[must_use]
    pub(crate) fn years(n: i64) -> Option<Duration> {
        n.checked_mul(12).map(Duration::Months)
    }

    /// Compares two durations of the same kind; `None` when one counts days
    /// and the other months, which are not comparable.
    #[must_use]
    pub(crate) fn compare(self, other: Duration) -> Option<Ordering> {
        match (self, other) {
            (Duration::Days(a), Duration::Days(b)) | (Duration::Months(a), Duration::Months(b)) => {
                Some(a.cmp(&b))
            }
            _ => None,
        }
    }

    /// The sum of two durations of the same kind; `None` across kinds or on
    /// overflow.
    #[must_use]
    pub(crate) fn checked_add(self, other: Duration) -> Option<Duration> {
        match (self, other) {
            (Duration::Days(a), Duration::Days(b)) => a.checked_add(b).map(Duration::Days),
            (Duration::Months(a), Duration::Months(b)) => a.checked_add(b).map(Duration::Months),
            _ => None,
        }
    }

    /// The difference of two durations of the same kind; `None` across
    /// kinds or on overflow.
    #[must_use]
    pub(crate) fn checked_sub(self, other: Duration) -> Option<Duration> {
        match (self, other) {
            (Duration::Days(a), Duration::Days(b)) => a.checked_sub(b).map(Duration::Days),
            (Duration::Months(a), Duration::Months(b)) => a.checked_sub(b).map(Duration::Months),
            _ => None,
        }
    }

    /// The negated duration; `None` on overflow (`i64::MIN`).
    #[must_use]
    pub(crate) fn checked_neg(self) -> Option<Duration> {
        match self {
            Duration::Days(n) => n.checked_neg().map(Duration::Days),
            Duration::Months(n) => n.checked_neg().map(Duration::Months),
        }
    }
}

impl fmt::Display for Duration {
    /// `1 day`, `30 days`, `-3 days`, `1 month`, `6 months`, `1 year`,
    /// `2 years`: months divisible by 12 are shown as years, days always as
    /// days.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: i64| if n.unsigned_abs() == 1 { "" } else { "s" };
        match *self {
            Duration::Days(n) => write!(f, "{n} day{}", plural(n)),
            Duration::Months(n) if n != 0 && n % 12 == 0 => {
                let years = n / 12;
                write!(f, "{years} year{}", plural(years))
            }
            Duration::Months(n) => write!(f, "{n} month{}", plural(n)),
        }
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

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(|| panic!("cannot parse {text:?}"))
    }

    #[test]
    fn range_constants() {
        assert_eq!(MIN_DAYS, -719_162);
        assert_eq!(MAX_DAYS, 2_932_896);
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(d("0001-01-01").days, -719_162);
        assert_eq!(d("9999-12-31").days, 2_932_896);
    }

    #[test]
    fn month_end_clamping() {
        let add = |date: &str, months: i64| d(date).checked_add(Duration::Months(months)).unwrap();
        let sub = |date: &str, months: i64| d(date).checked_sub(Duration::Months(months)).unwrap();
        assert_eq!(add("2024-01-31", 1), d("2024-02-29"));
        assert_eq!(add("2023-01-31", 1), d("2023-02-28"));
        assert_eq!(add("2024-02-29", 12), d("2025-02-28"));
        assert_eq!(add("2024-02-29", 48), d("2028-02-29"));
        assert_eq!(sub("2024-03-31", 1), d("2024-02-29"));
        assert_eq!(add("2024-03-31", 1), d("2024-04-30"));
        assert_eq!(add("2024-01-15", -1), d("2023-12-15"));
        assert_eq!(add("2024-12-31", 1), d("2025-01-31"));
        assert_eq!(add("2024-05-31", -3), d("2024-02-29"));
        assert_eq!(add("2024-05-31", 0), d("2024-05-31"));
        assert_eq!(add("0001-01-01", 9999 * 12 - 1), d("9999-12-01"));
    }

    #[test]
    fn day_arithmetic() {
        assert_eq!(
            d("2024-02-28").checked_add(Duration::Days(1)),
            Some(d("2024-02-29"))
        );
        assert_eq!(
            d("2023-02-28").checked_add(Duration::Days(1)),
            Some(d("2023-03-01"))
        );
        assert_eq!(
            d("2024-12-31").checked_add(Duration::Days(1)),
            Some(d("2025-01-01"))
        );
        assert_eq!(
            d("2025-01-01").checked_sub(Duration::Days(1)),
            Some(d("2024-12-31"))
        );
        assert_eq!(
            d("2024-01-01").checked_add(Duration::Days(-365)),
            Some(d("2023-01-01"))
        );
        assert_eq!(d("9999-12-31").checked_add(Duration::Days(1)), None);
        assert_eq!(d("0001-01-01").checked_sub(Duration::Days(1)), None);
    }

    #[test]
    fn leap_years() {
        assert!(Date::from_ymd(1900, 2, 29).is_none());
        assert!(Date::from_ymd(2000, 2, 29).is_some());
        assert!(Date::from_ymd(2024, 2, 29).is_some());
        assert!(Date::from_ymd(2100, 2, 29).is_none());
        assert!(Date::from_ymd(2023, 2, 29).is_none());
        assert_eq!(d("1900-03-01").days_since(d("1900-02-28")), 1);
        assert_eq!(d("2000-03-01").days_since(d("2000-02-28")), 2);
        assert_eq!(d("2100-03-01").days_since(d("2100-02-28")), 1);
        assert_eq!(d("2001-01-01").days_since(d("2000-01-01")), 366);
        assert_eq!(d("1901-01-01").days_since(d("1900-01-01")), 365);
    }

    #[test]
    fn days_since_and_duration_since() {
        assert_eq!(d("2024-03-01").days_since(d("2024-02-28")), 2);
        assert_eq!(d("2024-02-28").days_since(d("2024-03-01")), -2);
        assert_eq!(
            d("2024-03-01").duration_since(d("2024-02-28")),
            Duration::Days(2)
        );
        assert_eq!(d("9999-12-31").days_since(d("0001-01-01")), 3_652_058);
        assert_eq!(d("1970-01-01").days_since(d("1970-01-01")), 0);
    }

    #[test]
    fn ages() {
        let birth = d("1990-06-15");
        assert_eq!(Date::age_on(birth, d("2020-06-14")), Some(29));
        assert_eq!(Date::age_on(birth, d("2020-06-15")), Some(30));
        assert_eq!(Date::age_on(birth, d("2020-12-31")), Some(30));
        assert_eq!(Date::age_on(birth, birth), Some(0));
        assert_eq!(Date::age_on(birth, d("1991-06-14")), Some(0));
        assert_eq!(Date::age_on(birth, d("1990-06-14")), None);
        // 29 February birthday: 28 February in common years.
        let leap = d("2000-02-29");
        assert_eq!(Date::age_on(leap, d("2001-02-27")), Some(0));
        assert_eq!(Date::age_on(leap, d("2001-02-28")), Some(1));
        assert_eq!(Date::age_on(leap, d("2023-02-28")), Some(23));
        assert_eq!(Date::age_on(leap, d("2024-02-28")), Some(23));
        assert_eq!(Date::age_on(leap, d("2024-02-29")), Some(24));
        assert_eq!(Date::age_on(leap, d("2024-03-01")), Some(24));
        assert_eq!(Date::age_on(d("0001-01-01"), d("9999-12-31")), Some(9998));
    }

    #[test]
    fn parse_rejections() {
        for text in [
            "",
            "2024-13-45",
            "2024-13-01",
            "2024-00-10",
            "2024-01-00",
            "2024-01-32",
            "2024-04-31",
            "2023-02-29",
            "1900-02-29",
            "2024-1-01",
            "2024-01-1",
            "24-01-01",
            " 2024-01-01",
            "2024-01-01 ",
            "2024/01/01",
            "2024-01-01T00:00",
            "+024-01-01",
            "-024-01-01",
            "0000-01-01",
            "2024-+1-01",
            "2024-0a-01",
            "２０２４-01-01",
            "20240101",
        ] {
            assert_eq!(Date::parse(text), None, "{text:?}");
        }
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2000-02-29").is_some());
        assert!(Date::parse("0001-01-01").is_some());
        assert!(Date::parse("9999-12-31").is_some());
    }

    #[test]
    fn from_ymd_rejections() {
        assert_eq!(Date::from_ymd(0, 1, 1), None);
        assert_eq!(Date::from_ymd(10_000, 1, 1), None);
        assert_eq!(Date::from_ymd(-5, 1, 1), None);
        assert_eq!(Date::from_ymd(i32::MAX, 1, 1), None);
        assert_eq!(Date::from_ymd(2024, 0, 1), None);
        assert_eq!(Date::from_ymd(2024, 13, 1), None);
        assert_eq!(Date::from_ymd(2024, u32::MAX, 1), None);
        assert_eq!(Date::from_ymd(2024, 1, 0), None);
        assert_eq!(Date::from_ymd(2024, 1, u32::MAX), None);
    }

    #[test]
    fn display() {
        assert_eq!(d("0999-01-01").to_string(), "0999-01-01");
        assert_eq!(Date::from_ymd(999, 1, 1).unwrap().to_string(), "0999-01-01");
        assert_eq!(Date::from_ymd(1, 2, 3).unwrap().to_string(), "0001-02-03");
        assert_eq!(d("2024-12-31").to_string(), "2024-12-31");
        assert_eq!(Date::from_ymd(2024, 3, 7).unwrap().ymd(), (2024, 3, 7));
        let date = d("2024-03-07");
        assert_eq!((date.year(), date.month(), date.day()), (2024, 3, 7));
    }

    #[test]
    fn huge_durations() {
        let date = d("2024-01-31");
        for n in [
            i64::MAX,
            i64::MIN,
            i64::MAX / 2,
            i64::MIN / 2,
            3_652_059,
            -3_652_059,
        ] {
            assert_eq!(date.checked_add(Duration::Days(n)), None, "{n}");
            assert_eq!(date.checked_sub(Duration::Days(n)), None, "{n}");
            assert_eq!(date.checked_add(Duration::Months(n)), None, "{n}");
            assert_eq!(date.checked_sub(Duration::Months(n)), None, "{n}");
        }
        assert_eq!(date.checked_add(Duration::Months(12 * 8000)), None);
        assert_eq!(date.checked_sub(Duration::Months(12 * 2024)), None);
        assert_eq!(Duration::weeks(i64::MAX), None);
        assert_eq!(Duration::years(i64::MIN), None);
        assert_eq!(Duration::Days(i64::MIN).checked_neg(), None);
        assert_eq!(
            Duration::Days(i64::MAX).checked_add(Duration::Days(1)),
            None
        );
        assert_eq!(
            Duration::Months(i64::MIN).checked_sub(Duration::Months(1)),
            None
        );
    }

    #[test]
    fn round_trip_every_day() {
        let mut date = d("1999-01-01");
        let end = d("2001-12-31");
        let mut count = 0;
        while date <= end {
            let (year, month, day) = date.ymd();
            assert_eq!(Date::from_ymd(year, month, day), Some(date));
            assert_eq!(Date::parse(&date.to_string()), Some(date));
            let next = date.checked_add(Duration::Days(1)).unwrap();
            assert_eq!(next.days_since(date), 1);
            date = next;
            count += 1;
        }
        assert_eq!(count, 365 + 366 + 365);
        // And via from_ymd for every (year, month, day) triple in the range.
        let mut previous: Option<Date> = None;
        for year in 1999..=2001 {
            for month in 1..=12 {
                for day in 1..=31 {
                    if let Some(date) = Date::from_ymd(year, month, day) {
                        assert_eq!(date.ymd(), (year, month, day));
                        if let Some(prev) = previous {
                            assert_eq!(date.days_since(prev), 1);
                        }
                        previous = Some(date);
                    }
                }
            }
        }
    }

    #[test]
    fn whole_range_round_trip() {
        // Every day from 0001-01-01 to 9999-12-31: ymd round-trips and
        // consecutive days have strictly increasing (year, month, day).
        let mut previous = (0, 12, 31);
        let mut days = MIN_DAYS;
        while days <= MAX_DAYS {
            let date = Date::from_days(days).unwrap();
            let (year, month, day) = date.ymd();
            assert_eq!(Date::from_ymd(year, month, day), Some(date));
            assert!(previous < (year, month, day));
            previous = (year, month, day);
            days += 1;
        }
        assert_eq!(previous, (9999, 12, 31));
        assert_eq!(Date::from_days(MIN_DAYS - 1), None);
        assert_eq!(Date::from_days(MAX_DAYS + 1), None);
    }

    #[test]
    fn durations() {
        assert_eq!(Duration::days(3), Some(Duration::Days(3)));
        assert_eq!(Duration::weeks(2), Some(Duration::Days(14)));
        assert_eq!(Duration::months(6), Some(Duration::Months(6)));
        assert_eq!(Duration::years(2), Some(Duration::Months(24)));
        assert_eq!(
            Duration::Days(3).compare(Duration::Days(7)),
            Some(Ordering::Less)
        );
        assert_eq!(
            Duration::Months(12).compare(Duration::Months(12)),
            Some(Ordering::Equal)
        );
        assert_eq!(Duration::Months(1).compare(Duration::Days(31)), None);
        assert_eq!(Duration::Days(31).compare(Duration::Months(1)), None);
        assert_eq!(
            Duration::Days(1).checked_add(Duration::Days(2)),
            Some(Duration::Days(3))
        );
        assert_eq!(
            Duration::Months(1).checked_sub(Duration::Months(3)),
            Some(Duration::Months(-2))
        );
        assert_eq!(Duration::Days(1).checked_add(Duration::Months(2)), None);
        assert_eq!(Duration::Months(1).checked_sub(Duration::Days(2)), None);
        assert_eq!(
            Duration::Months(5).checked_neg(),
            Some(Duration::Months(-5))
        );
    }

    #[test]
    fn duration_display() {
        let cases = [
            (Duration::Days(1), "1 day"),
            (Duration::Days(30), "30 days"),
            (Duration::Days(-3), "-3 days"),
            (Duration::Days(-1), "-1 day"),
            (Duration::Days(0), "0 days"),
            (Duration::Days(365), "365 days"),
            (Duration::Days(14), "14 days"),
            (Duration::Months(1), "1 month"),
            (Duration::Months(6), "6 months"),
            (Duration::Months(0), "0 months"),
            (Duration::Months(-6), "-6 months"),
            (Duration::Months(12), "1 year"),
            (Duration::Months(24), "2 years"),
            (Duration::Months(-12), "-1 year"),
            (Duration::Months(18), "18 months"),
        ];
        for (duration, text) in cases {
            assert_eq!(duration.to_string(), text);
        }
    }
}

#[cfg(test)]
mod doc_examples {
    //! The examples of the crate-internal API, run as unit tests.
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// `age_on` counts whole years as adding that many years' months to the birth date does.
    #[test]
    fn age_on_agrees_with_adding_months() {
        let start = Date::from_ymd(1995, 1, 1).unwrap();
        let births = (0..800).map(|k| start.checked_add(Duration::Days(k * 3 + (k % 7))).unwrap());
        for birth in births {
            for days in [
                0_i64, 1, 27, 58, 59, 365, 366, 1460, 1461, 6000, 6574, 6575, 9000,
            ] {
                let on = birth.checked_add(Duration::Days(days)).unwrap();
                let years = i64::from(on.year()) - i64::from(birth.year());
                let anniversary = birth.checked_add(Duration::Months(years * 12)).unwrap();
                let expected = if anniversary > on { years - 1 } else { years };
                assert_eq!(Date::age_on(birth, on), Some(expected), "{birth} on {on}");
            }
        }
        let leap = Date::from_ymd(2004, 2, 29).unwrap();
        assert_eq!(
            Date::age_on(leap, Date::from_ymd(2005, 2, 28).unwrap()),
            Some(1)
        );
        assert_eq!(
            Date::age_on(leap, Date::from_ymd(2005, 2, 27).unwrap()),
            Some(0)
        );
        assert_eq!(
            Date::age_on(leap, Date::from_ymd(2003, 1, 1).unwrap()),
            None
        );
    }

    /// From the docs of `pub struct Date`.
    #[test]
    fn months_clamp_to_the_month_end() {
        let start = Date::parse("2024-01-31").unwrap();
        let next = start.checked_add(Duration::Months(1)).unwrap();
        assert_eq!(next.to_string(), "2024-02-29"); // clamped to the month's end
        assert_eq!(next.days_since(start), 29);
        assert_eq!(Date::parse("2023-02-29"), None);
    }

    /// From the docs of `pub(crate) fn checked_add(self, duration: Duration) -> Option<Date>`.
    #[test]
    fn checked_add_months_and_overflow() {
        let d = Date::parse("2023-01-31").unwrap();
        assert_eq!(
            d.checked_add(Duration::Months(1)),
            Date::parse("2023-02-28")
        );
        assert_eq!(d.checked_add(Duration::Days(i64::MAX)), None);
    }

    /// From the docs of `pub(crate) enum Duration`.
    #[test]
    fn duration_units_and_comparison() {
        assert_eq!(Duration::weeks(2), Some(Duration::Days(14)));
        assert_eq!(Duration::years(2).unwrap().to_string(), "2 years");
        assert_eq!(Duration::Days(30).compare(Duration::Months(1)), None);
    }
}
