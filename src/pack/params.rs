//! Loading, what a pack's parameters are and whether evaluation options fit the pack: a
//! compiled [`RulePack`] in, [`ParamInfo`] per parameter and every [`OptionsError`] out.

use super::RulePack;
use crate::error::OptionsError;
use crate::options::Options;
use crate::program::Const;

/// A parameter of a pack, for listings (`conduct params`) and for embedding programs that
/// offer overrides: its name, type, default and the source it cites.
///
/// The rule language gives parameters no titles and no bounds: what a parameter means is in
/// its name and its `source "…"` text (and in the comments of the rule file).
///
/// ```
/// use conduct::{Options, RulePack};
///
/// let pack = RulePack::builder()
///     .file(
///         "pack.conduct",
///         r#"
/// pack demo "Demo" languages en
/// evidence { hours: number }
/// param max_weekly_hours: number = 60 source "ETI Base Code 6.1"
///
/// clause working_hours.weekly_limit
///   title en "Weekly hours"
///   require hours <= max_weekly_hours
///     message en "{actual} hours; the limit is {max_weekly_hours}"
/// "#,
///     )
///     .build()?;
/// let params = pack.params();
/// assert_eq!(params[0].name, "max_weekly_hours");
/// assert_eq!(params[0].ty, "number");
/// assert_eq!(params[0].default, "60");
/// assert_eq!(params[0].source.as_deref(), Some("ETI Base Code 6.1"));
/// // The default is written as an override takes it.
/// let options = Options::default().param(&params[0].name, &params[0].default);
/// assert!(pack.check_options(&options).is_ok());
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
    /// The `source "…"` text the declaration cites, if any.
    pub source: Option<String>,
}

/// A constant written as [`Options::param`] reads it back (texts without quotes).
fn override_text(c: &Const) -> String {
    match c {
        Const::Null => "null".into(),
        Const::Bool(b) => b.to_string(),
        Const::Number(n) => n.to_string(),
        Const::Str(s) => s.to_string(),
        Const::Date(d) => d.to_string(),
        Const::Duration(d) => d.to_string(),
        Const::List(items) => {
            let items: Vec<String> = items.iter().map(override_text).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

impl RulePack {
    /// Every parameter, in declaration order: name, type, default and source.
    #[must_use]
    pub fn params(&self) -> Vec<ParamInfo> {
        self.inner
            .program
            .params
            .iter()
            .map(|p| ParamInfo {
                name: p.name.clone(),
                ty: p.ty.name(),
                default: override_text(&p.default),
                source: p.source.clone(),
            })
            .collect()
    }

    /// Checks evaluation options against the pack before evaluating: the language is one the
    /// pack declares, each overridden parameter exists (else a "did you mean" when a name is
    /// close) and each value has the parameter's type.
    ///
    /// [`RulePack::evaluate`] never fails: with options that do not fit, every outcome is
    /// `error` with the problem as its message. Call this first to tell the user instead; the
    /// command line does, and exits `3` listing every problem.
    ///
    /// Parameters have no declared bounds in the rule language, so a value of the right type
    /// is accepted whatever it is (e.g. a negative number of hours).
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
