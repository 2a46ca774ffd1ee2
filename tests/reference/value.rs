//! Values of the reference evaluator, and its own small calendar.
//!
//! Numbers use the crate's public exact decimal [`conduct::tools::unstable::Number`] (its arithmetic has its own
//! tests); dates and durations are re-implemented here in the most direct way, so that the
//! differential test also checks the calendar rules of the language reference.

use std::collections::BTreeSet;
use std::rc::Rc;

use conduct::tools::unstable::Number;
use serde_json::Value;

/// The declared shape of evidence (`evidence { … }`).
#[derive(Clone, Debug)]
pub enum Shape {
    Object(Vec<(String, Rc<Shape>)>),
    List(Rc<Shape>),
    /// `string`, `number`, `bool`, `date` or `any`.
    Scalar(String),
    Enum(Vec<String>),
}

impl Shape {
    pub fn field(&self, name: &str) -> Option<Rc<Shape>> {
        match self {
            Shape::Object(fields) => fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, s)| s.clone()),
            _ => None,
        }
    }
    pub fn item(&self) -> Option<Rc<Shape>> {
        match self {
            Shape::List(item) => Some(item.clone()),
            _ => None,
        }
    }
}

/// A calendar date, kept as year, month and day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub y: i64,
    pub m: i64,
    pub d: i64,
}

pub fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

pub fn month_len(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

impl Day {
    /// `YYYY-MM-DD`, years 1 to 9999, a real day of a real month.
    pub fn parse(s: &str) -> Option<Day> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if y < 1 || !(1..=12).contains(&m) || d < 1 || d > month_len(y, m) {
            return None;
        }
        Some(Day { y, m, d })
    }

    /// Days since 0001-01-01.
    pub fn ordinal(self) -> i64 {
        let py = self.y - 1;
        let mut n = 365 * py + py / 4 - py / 100 + py / 400;
        for m in 1..self.m {
            n += month_len(self.y, m);
        }
        n + self.d - 1
    }

    pub fn from_ordinal(n: i64) -> Option<Day> {
        if n < 0 {
            return None;
        }
        let mut y = n / 366 + 1;
        while (Day {
            y: y + 1,
            m: 1,
            d: 1,
        })
        .ordinal()
            <= n
        {
            y += 1;
        }
        let mut rest = n - (Day { y, m: 1, d: 1 }).ordinal();
        let mut m = 1;
        while rest >= month_len(y, m) {
            rest -= month_len(y, m);
            m += 1;
        }
        let day = Day { y, m, d: rest + 1 };
        (y <= 9999).then_some(day)
    }

    pub fn add(self, dur: Dur) -> Option<Day> {
        match dur {
            Dur::Days(n) => Day::from_ordinal(self.ordinal() + n),
            Dur::Months(n) => {
                let index = self.y * 12 + (self.m - 1) + n;
                let (y, m) = (index.div_euclid(12), index.rem_euclid(12) + 1);
                if !(1..=9999).contains(&y) {
                    return None;
                }
                Some(Day {
                    y,
                    m,
                    d: self.d.min(month_len(y, m)),
                })
            }
        }
    }

    /// Whole years from `self` (a birth date) to `on`, counted with the same month-end
    /// clamping as adding months; `None` when `on` is earlier.
    pub fn age_on(self, on: Day) -> Option<i64> {
        if on < self {
            return None;
        }
        let mut years = on.y - self.y;
        if self.add(Dur::Months(12 * years))? > on {
            years -= 1;
        }
        Some(years)
    }

    pub fn show(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

/// A duration: days (weeks are 7 days) or months (years are 12 months).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dur {
    Days(i64),
    Months(i64),
}

impl Dur {
    pub fn show(self) -> String {
        let s = |n: i64| if n.abs() == 1 { "" } else { "s" };
        match self {
            Dur::Days(n) => format!("{n} day{}", s(n)),
            Dur::Months(n) if n != 0 && n % 12 == 0 => format!("{} year{}", n / 12, s(n / 12)),
            Dur::Months(n) => format!("{n} month{}", s(n)),
        }
    }
}

/// Why a value is unknown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Why {
    pub missing: BTreeSet<String>,
    pub invalid: BTreeSet<(String, String)>,
}

impl Why {
    pub fn missing(ptr: &str) -> Why {
        let mut w = Why::default();
        w.missing.insert(ptr.to_string());
        w
    }
    pub fn invalid(ptr: &str, reason: String) -> Why {
        let mut w = Why::default();
        w.invalid.insert((ptr.to_string(), reason));
        w
    }
    pub fn merge(&mut self, other: &Why) {
        self.missing.extend(other.missing.iter().cloned());
        self.invalid.extend(other.invalid.iter().cloned());
    }
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.invalid.is_empty()
    }
}

#[derive(Clone, Debug)]
pub enum Val {
    Null,
    Bool(bool),
    Num(Number),
    Str(String),
    Date(Day),
    Dur(Dur),
    /// A list built by the rules.
    List(Vec<V>),
    /// An object or array of the evidence, as it is.
    Json(Value),
    Unknown(Why),
}

/// A value, the JSON Pointer of the evidence it is about (if any), and for evidence
/// objects and lists their declared shape (so that reading a field knows its type).
#[derive(Clone, Debug)]
pub struct V {
    pub val: Val,
    pub ptr: Option<String>,
    pub shape: Option<Rc<Shape>>,
}

impl V {
    pub fn new(val: Val) -> V {
        V {
            val,
            ptr: None,
            shape: None,
        }
    }
    pub fn at(val: Val, ptr: Option<String>) -> V {
        V {
            val,
            ptr,
            shape: None,
        }
    }
    pub fn unknown(why: Why, ptr: Option<String>) -> V {
        V::at(Val::Unknown(why), ptr)
    }
    pub fn why(&self) -> Option<&Why> {
        match &self.val {
            Val::Unknown(w) => Some(w),
            _ => None,
        }
    }

    /// The value as `actual` shows it in a report.
    pub fn to_json(&self) -> Value {
        match &self.val {
            Val::Null | Val::Unknown(_) => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Num(n) => n.to_json(),
            Val::Str(s) => Value::String(s.clone()),
            Val::Date(d) => Value::String(d.show()),
            Val::Dur(d) => Value::String(d.show()),
            Val::List(items) => Value::Array(items.iter().map(V::to_json).collect()),
            Val::Json(v) => v.clone(),
        }
    }

    /// How the value reads in a message (`{x}`, or `{x:%}` with `percent`) in `language`
    /// ("Messages" of the language reference): numbers, shares and durations in the
    /// language's form — Swedish groups thousands with a no-break space, writes a decimal
    /// comma, a no-break space before `%` and Swedish units; every other language the English
    /// form (`1,100.5`, `22%`, `14 days`); `true` and `false` are "ja" and "nej", "yes" and
    /// "no".
    pub fn text(&self, percent: bool, language: &str) -> String {
        let sv = language == "sv";
        match &self.val {
            Val::Num(n) if percent => match n.checked_mul(Number::from_i64(100).unwrap()) {
                Some(p) => {
                    let sign = if sv { "\u{a0}%" } else { "%" };
                    format!("{}{sign}", number_form(&p.round(1).to_string(), sv))
                }
                None => number_form(&n.to_string(), sv),
            },
            Val::Num(n) => number_form(&n.to_string(), sv),
            Val::Bool(b) => match (b, sv) {
                (true, true) => "ja".into(),
                (false, true) => "nej".into(),
                (true, false) => "yes".into(),
                (false, false) => "no".into(),
            },
            Val::Dur(d) if sv => {
                let (n, one, many) = match *d {
                    Dur::Days(n) => (n, "dag", "dagar"),
                    Dur::Months(n) if n != 0 && n % 12 == 0 => (n / 12, "år", "år"),
                    Dur::Months(n) => (n, "månad", "månader"),
                };
                let unit = if n.abs() == 1 { one } else { many };
                format!("{} {unit}", number_form(&n.to_string(), sv))
            }
            Val::Dur(d) => {
                let shown = d.show();
                let (n, unit) = shown.split_once(' ').unwrap();
                format!("{} {unit}", number_form(n, sv))
            }
            Val::List(items) => items
                .iter()
                .map(|v| v.text(percent, language))
                .collect::<Vec<_>>()
                .join(", "),
            _ => self.plain(percent),
        }
    }

    /// The value as the engine writes it outside messages: numbers plain, `22%`.
    pub fn plain(&self, percent: bool) -> String {
        match &self.val {
            Val::Null => "null".into(),
            Val::Unknown(_) => "unknown".into(),
            Val::Bool(b) => b.to_string(),
            Val::Num(n) if percent => match n.checked_mul(Number::from_i64(100).unwrap()) {
                Some(p) => format!("{}%", p.round(1)),
                None => n.to_string(),
            },
            Val::Num(n) => n.to_string(),
            Val::Str(s) => s.clone(),
            Val::Date(d) => d.show(),
            Val::Dur(d) => d.show(),
            Val::List(items) => items
                .iter()
                .map(|v| v.plain(percent))
                .collect::<Vec<_>>()
                .join(", "),
            Val::Json(v) => v.to_string(),
        }
    }

    /// How the value reads in `expected`: texts quoted.
    pub fn code(&self) -> String {
        match &self.val {
            Val::Str(s) => format!("{s:?}"),
            Val::List(items) => format!(
                "[{}]",
                items.iter().map(V::code).collect::<Vec<_>>().join(", ")
            ),
            _ => self.plain(false),
        }
    }
}

/// A plain decimal (`-1100.5`) in a language's form: `-1,100.5`, or in Swedish `-1 100,5`
/// (no-break space).
fn number_form(plain: &str, sv: bool) -> String {
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let (group, point) = if sv { ('\u{a0}', ',') } else { (',', '.') };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{fraction}")
    }
}

/// The JSON Pointer of a child: `/` joins, `~` and `/` in keys are escaped (RFC 6901).
pub fn child(ptr: &str, key: &str) -> String {
    format!("{ptr}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// The pointer of the nearest evidence value holding both (for `a + b`).
pub fn common(a: &Option<String>, b: &Option<String>) -> Option<String> {
    match (a, b) {
        (None, x) | (x, None) => x.clone(),
        (Some(a), Some(b)) => {
            let sa: Vec<&str> = a.split('/').collect();
            let sb: Vec<&str> = b.split('/').collect();
            let k = sa.iter().zip(&sb).take_while(|(x, y)| x == y).count();
            Some(sa[..k].join("/"))
        }
    }
}
