//! Loading, what a pack's parameters are and whether evaluation options fit the pack: a
//! compiled [`RulePack`] in, [`ParamInfo`] per parameter (titles, bounds, the evidence field
//! that overrides it) and every [`OptionsError`] out.

use super::RulePack;
use crate::error::OptionsError;
use crate::options::Options;
use crate::program::const_text;

/// A parameter of a pack, for listings (`conduct params`, `conduct doc`) and for embedding
/// programs that offer overrides: its name, type, default, titles, bounds, the evidence field
/// that takes precedence over it and the source it cites.
///
/// The struct is `#[non_exhaustive]`: read its fields, never build one; fields may be added.
///
/// ```
/// use conduct::{Options, RulePack};
///
/// let pack = RulePack::builder()
///     .file(
///         "pack.conduct",
///         r#"
/// pack demo "Demo" languages en, sv
/// evidence { hours: number, contract: { max_weekly_hours: number } }
/// param max_weekly_hours: number = 60
///   title en "Most hours a week, overtime included" sv "Högsta veckoarbetstid inklusive övertid"
///   at least 1 at most 84
///   overridden by contract.max_weekly_hours
///   source "ETI Base Code 6.1"
///
/// clause working_hours.weekly_limit
///   title en "Weekly hours" sv "Veckoarbetstid"
///   require hours <= max_weekly_hours
///     message en "{actual} hours; the limit is {max_weekly_hours}"
///             sv "{actual} timmar; gränsen är {max_weekly_hours}"
/// "#,
///     )
///     .build()?;
/// let params = pack.params();
/// let hours = &params[0];
/// assert_eq!(hours.name, "max_weekly_hours");
/// assert_eq!(hours.ty, "number");
/// assert_eq!(hours.default, "60");
/// assert_eq!(hours.title("sv"), Some("Högsta veckoarbetstid inklusive övertid"));
/// assert_eq!(hours.at_least.as_deref(), Some("1"));
/// assert_eq!(hours.at_most.as_deref(), Some("84"));
/// assert_eq!(hours.overridden_by.as_deref(), Some("contract.max_weekly_hours"));
/// assert_eq!(hours.source.as_deref(), Some("ETI Base Code 6.1"));
/// // The default is written as an override takes it.
/// let options = Options::default().param(&hours.name, &hours.default);
/// assert!(pack.check_options(&options).is_ok());
/// // A value outside the bounds is refused.
/// let problems = pack.check_options(&Options::default().param("max_weekly_hours", "-5"));
/// assert_eq!(
///     problems.unwrap_err()[0].to_string(),
///     "parameter `max_weekly_hours` must be at least 1, got -5"
/// );
/// # Ok::<(), conduct::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParamInfo {
    /// The parameter's name, as `--param NAME=VALUE` and [`Options::param`] take it.
    pub name: String,
    /// Its type as the rule file writes it: `number`, `string`, `bool`, `date` or `duration`.
    pub ty: String,
    /// The default, written as an override takes it (`60`, `true`, `2024-10-31`, `30 days`,
    /// or the text itself, without quotes).
    pub default: String,
    /// The `title LANG "…"` texts, as (language, title) in the order written; empty when the
    /// declaration has none. [`ParamInfo::title`] picks one.
    pub titles: Vec<(String, String)>,
    /// `at least`: the smallest value an override may have, written as the default is.
    pub at_least: Option<String>,
    /// `at most`: the largest value an override may have.
    pub at_most: Option<String>,
    /// `overridden by`: the evidence field (dotted, `contract.reporting_deadline_days`) that
    /// decides the parameter where a document has it, before any override and the default.
    pub overridden_by: Option<String>,
    /// The `source "…"` text the declaration cites, if any.
    pub source: Option<String>,
}

impl ParamInfo {
    /// The title in `language`, else the first one written; `None` without titles.
    #[must_use]
    pub fn title(&self, language: &str) -> Option<&str> {
        self.titles
            .iter()
            .find(|(l, _)| l == language)
            .or_else(|| self.titles.first())
            .map(|(_, t)| t.as_str())
    }
}

impl RulePack {
    /// Every parameter, in declaration order: name, type, default, titles, bounds, the
    /// evidence field that overrides it and its source.
    #[must_use]
    pub fn params(&self) -> Vec<ParamInfo> {
        let first = self
            .inner
            .program
            .languages
            .first()
            .map_or("", String::as_str);
        self.inner
            .program
            .params
            .iter()
            .map(|p| ParamInfo {
                name: p.name.clone(),
                ty: p.ty.name(),
                default: const_text(&p.default),
                titles: p.titles.clone(),
                at_least: p.at_least.as_ref().map(const_text),
                at_most: p.at_most.as_ref().map(const_text),
                overridden_by: p.overridden_by.as_ref().map(|o| o.dotted.clone()),
                // The plain form, else the pack's first language's.
                source: crate::program::text_in(p.source.as_deref(), &p.sources, first, None)
                    .map(str::to_owned),
            })
            .collect()
    }

    /// Checks evaluation options against the pack before evaluating: the language is one the
    /// pack declares, each overridden parameter exists (else a "did you mean" when a name is
    /// close) and each value has the parameter's type and lies within its declared bounds
    /// (`at least`, `at most`).
    ///
    /// [`RulePack::evaluate`] never fails: with options that do not fit, every outcome is
    /// `error` with the problem as its message. Call this first to tell the user instead; the
    /// command line does, and exits `3` listing every problem.
    ///
    /// A parameter without declared bounds accepts any value of its type.
    ///
    /// ```
    /// use conduct::{Options, RulePack};
    /// use conduct::pack::OptionsError;
    ///
    /// let pack = RulePack::load("rules/regions")?;
    /// let options = Options::default()
    ///     .param("max_weekly_hour", "48")
    ///     .param("reporting_deadline_days", "ten");
    /// let problems = pack.check_options(&options).unwrap_err();
    /// assert_eq!(problems.len(), 2);
    /// assert_eq!(
    ///     problems[0].to_string(),
    ///     "the pack has no parameter `max_weekly_hour`; did you mean `max_weekly_hours`?"
    /// );
    /// assert!(matches!(problems[1], OptionsError::BadParam { .. }));
    /// // Every problem at once, through `?`, as `conduct::Error::Options`.
    /// let checked: Result<(), conduct::Error> = pack.check_options(&options).map_err(Into::into);
    /// assert!(checked.is_err());
    /// # Ok::<(), conduct::Error>(())
    /// ```
    ///
    /// # Errors
    /// Every problem, in the order given: the language first, then the overrides.
    pub fn check_options(&self, options: &Options) -> Result<(), Vec<OptionsError>> {
        let problems = crate::options::problems(&self.inner.program, options);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}
