//! The options of one evaluation ([`Options`]: date, language, parameter overrides, limits),
//! checked against a pack: `--param` text → typed constants, and every problem listed.
//!
//! In: the parameter declarations and languages of a checked [`Program`] and the options.
//! Out: the constants to use instead of the declared defaults, or every [`OptionsError`]
//! (unknown names with suggestions, values not of the parameter's type or outside its
//! declared bounds, a language the pack does not declare). Used by [`crate::RulePack::check_options`] and by evaluation.

use crate::date::{Date, Duration};
use crate::diagnostic::did_you_mean;
use crate::error::OptionsError;
use crate::limits::EvalLimits;
use crate::number::Number;
use crate::program::{Const, Program, Type};

/// Options for one evaluation: the date, the language, parameter overrides, limits.
///
/// ```
/// use conduct::Options;
/// use conduct::report::Date;
/// let options = Options::default()
///     .as_of(Date::parse("2024-10-31").unwrap())
///     .language("sv")
///     .param("reporting_deadline_days", "10");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub(crate) as_of: Option<Date>,
    pub(crate) language: Option<String>,
    pub(crate) params: Vec<(String, String)>,
    pub(crate) limits: EvalLimits,
    /// Evidence known to be invalid where the document has `null` or nothing: (JSON
    /// Pointer, reason), from [`Options::invalid_evidence`] and [`Options::replaced`].
    pub(crate) invalid_evidence: Vec<(String, String)>,
}

impl Options {
    /// Evaluates on this date instead of the one the pack reads from the evidence.
    #[must_use]
    pub fn as_of(mut self, date: Date) -> Options {
        self.as_of = Some(date);
        self
    }
    /// Messages and titles in this language, one the pack declares (see
    /// [`crate::RulePack::languages`]). Without it, the pack's first language.
    ///
    /// A language the pack does not declare is an error, not a fallback:
    /// [`crate::RulePack::check_options`] names it with the pack's languages, and an
    /// evaluation with it gives every clause the outcome `error` with that message.
    #[must_use]
    pub fn language(mut self, language: &str) -> Options {
        self.language = Some(language.to_string());
        self
    }
    /// Overrides a parameter; the text is read by the parameter's type (`60`, `true`,
    /// `2024-10-31`, `30 days`, or any text). [`crate::RulePack::params`] lists the
    /// parameters with their types, defaults and bounds; a name the pack lacks, a value not of
    /// the type or one outside the declared bounds is an error (see
    /// [`crate::RulePack::check_options`]). Giving a name again replaces its value. An
    /// evidence field the parameter is declared `overridden by` takes precedence over this
    /// value where the document has it (the report's `params_from_evidence` says so).
    #[must_use]
    pub fn param(mut self, name: &str, value: &str) -> Options {
        self.params.retain(|(n, _)| n != name);
        self.params.push((name.to_string(), value.to_string()));
        self
    }
    /// Evaluation limits.
    #[must_use]
    pub fn limits(mut self, limits: EvalLimits) -> Options {
        self.limits = limits;
        self
    }
    /// Declares the evidence at `pointer` (an RFC 6901 JSON Pointer such as `/fees/1`)
    /// invalid for `reason`, for a reader that had to drop a value it could not hold: where
    /// the evidence given to the evaluation has `null` or nothing at `pointer` or below it, a
    /// clause that reads there gets insufficient evidence listing `pointer` as invalid with
    /// `reason`, not as missing. A clause that does not read it is not affected.
    ///
    /// ```
    /// # use conduct::{Options, RulePack, Status};
    /// # let pack = RulePack::builder().file("p.conduct", "pack p \"P\" languages en
    /// # evidence { fee: number }
    /// # clause c.fee
    /// #   title en \"Fee\"
    /// #   require fee < 100
    /// #     message en \"fee {actual}\"
    /// # ").build()?;
    /// let evidence = serde_json::json!({ "fee": null });
    /// let options = Options::default().invalid_evidence("/fee", "number `1e400` is out of range");
    /// let outcome = &pack.evaluate(&evidence, &options).outcomes[0];
    /// assert_eq!(outcome.status, Status::InsufficientEvidence);
    /// assert_eq!(outcome.invalid[0].reason, "number `1e400` is out of range");
    /// # Ok::<(), conduct::Error>(())
    /// ```
    #[must_use]
    pub fn invalid_evidence(mut self, pointer: &str, reason: &str) -> Options {
        self.invalid_evidence
            .push((pointer.to_string(), reason.to_string()));
        self
    }
}

/// Why a parameter override does not fit the pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ParamError {
    /// No parameter has this name.
    Unknown(String),
    /// The value does not parse as the parameter's type, or is outside its bounds: the name
    /// and why.
    BadValue(String, String),
}

/// Parses a `--param` value by the parameter's declared type.
pub(crate) fn param_value(ty: &Type, text: &str) -> Result<Const, String> {
    let text = text.trim();
    match ty {
        Type::Number => Number::parse(text)
            .map(Const::Number)
            .ok_or_else(|| format!("`{text}` is not a number")),
        Type::Bool => match text {
            "true" => Ok(Const::Bool(true)),
            "false" => Ok(Const::Bool(false)),
            _ => Err(format!("`{text}` is not `true` or `false`")),
        },
        Type::Date => Date::parse(text)
            .map(Const::Date)
            .ok_or_else(|| format!("`{text}` is not a date (YYYY-MM-DD)")),
        Type::Duration => duration(text)
            .map(Const::Duration)
            .ok_or_else(|| format!("`{text}` is not a duration such as `30 days`")),
        _ => Ok(Const::Str(text.into())),
    }
}

/// A duration written as `30 days`, `2 weeks`, `6 months` or `1 year`.
fn duration(text: &str) -> Option<Duration> {
    let mut words = text.split_whitespace();
    let n = words.next().and_then(|n| n.parse::<i64>().ok())?;
    match (words.next(), words.next()) {
        (Some("day" | "days"), None) => Duration::days(n),
        (Some("week" | "weeks"), None) => Duration::weeks(n),
        (Some("month" | "months"), None) => Duration::months(n),
        (Some("year" | "years"), None) => Duration::years(n),
        _ => None,
    }
}

/// The overrides of `params` as (parameter index, value), in the order given. When several
/// do not fit, the error is about the last of them.
pub(crate) fn param_overrides(
    program: &Program,
    params: &[(String, String)],
) -> Result<Vec<(usize, Const)>, ParamError> {
    let mut overrides = Vec::with_capacity(params.len());
    let mut error = None;
    for (name, text) in params {
        let Some((i, p)) = program
            .params
            .iter()
            .enumerate()
            .find(|(_, p)| p.name == *name)
        else {
            error = Some(ParamError::Unknown(name.clone()));
            continue;
        };
        match param_value(&p.ty, text) {
            Ok(c) => match p.bound_problem(&c) {
                None => overrides.push((i, c)),
                Some(problem) => error = Some(ParamError::BadValue(name.clone(), problem)),
            },
            Err(reason) => error = Some(ParamError::BadValue(name.clone(), reason)),
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(overrides),
    }
}

/// The language the options ask for when the pack does not declare it.
pub(crate) fn language_problem(program: &Program, options: &Options) -> Option<OptionsError> {
    let language = options.language.as_ref()?;
    (!program.languages.contains(language)).then(|| OptionsError::UnknownLanguage {
        language: language.clone(),
        available: program.languages.clone(),
    })
}

/// Every problem of `options` against the pack, in the order given: the language first,
/// then each parameter override (an unknown name with a "did you mean", a value not of the
/// parameter's type, or one outside its declared bounds).
pub(crate) fn problems(program: &Program, options: &Options) -> Vec<OptionsError> {
    let mut problems: Vec<OptionsError> = language_problem(program, options).into_iter().collect();
    for (name, value) in &options.params {
        let Some(p) = program.params.iter().find(|p| p.name == *name) else {
            let help = did_you_mean(name, program.params.iter().map(|p| p.name.as_str()));
            problems.push(OptionsError::UnknownParam {
                name: name.clone(),
                help,
            });
            continue;
        };
        match param_value(&p.ty, value) {
            Ok(c) => {
                if let Some(problem) = p.bound_problem(&c) {
                    problems.push(OptionsError::OutOfBounds {
                        name: name.clone(),
                        problem,
                    });
                }
            }
            Err(reason) => problems.push(OptionsError::BadParam {
                name: name.clone(),
                reason,
            }),
        }
    }
    problems
}
