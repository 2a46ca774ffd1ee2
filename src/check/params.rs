//! Checking a parameter's metadata: AST titles, bounds and `overridden by` → the fields of its
//! [`ParamDef`](crate::program::ParamDef); reports E207 (a title's or a source's language),
//! W003 (a per-language source without a declared language), E211 (bounds on
//! a type without an order), E212 (bounds that contradict each other or the default) and
//! E213 (an `overridden by` path that is not a declared evidence field of the parameter's
//! type outside any list).

use super::{Checker, ParsedFile};
use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic, did_you_mean};
use crate::program::{
    Const, Expr, ExprKind, OverriddenBy, PathBase, Shape, Step, Type, compare_consts, const_text,
};

/// A bound as checked: the constant and where it is written.
type Bound = Option<(Const, crate::source::Span)>;

impl Checker<'_> {
    /// A parameter's or a table's titles, per language in the order written (E207 for an
    /// undeclared language or one given twice).
    pub(super) fn titles(&mut self, written: &[ast::Text]) -> Vec<(String, String)> {
        let mut titles: Vec<(String, String)> = Vec::new();
        for t in written {
            let seen: Vec<String> = titles.iter().map(|(l, _)| l.clone()).collect();
            self.language(&t.lang, &seen);
            titles.push((t.lang.name.clone(), t.text.clone()));
        }
        titles
    }

    /// A `source en "…" sv "…"`'s texts per language in the order written (E207 for an
    /// undeclared language or one given twice; W003 for a declared language without one, at
    /// `at`: its renderings fall back to the first language's); empty for the plain form,
    /// one text for every language.
    pub(super) fn sources(
        &mut self,
        what: &str,
        at: crate::source::Span,
        texts: &[ast::Text],
    ) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        if texts.is_empty() {
            return out;
        }
        for t in texts {
            let seen: Vec<String> = out.iter().map(|(l, _)| l.clone()).collect();
            self.language(&t.lang, &seen);
            out.push((t.lang.name.clone(), t.text.clone()));
        }
        for lang in self.languages.clone() {
            if !out.iter().any(|(l, _)| *l == lang) {
                self.error(
                    RawDiagnostic::new(Code::W003, at, format!("{what} has no source in `{lang}`"))
                        .help(format!(
                            "add `{lang} \"…\"` to the source; without one the `{lang}` reference shows another language's"
                        )),
                );
            }
        }
        out
    }

    /// `at least` and `at most` as constants of the parameter's type (E305), on a type with an
    /// order (E211), the lower not above the upper and the default between them (E212).
    pub(super) fn param_bounds(
        &mut self,
        p: &ast::Param,
        ty: &Type,
        default: &Const,
    ) -> (Option<Const>, Option<Const>) {
        let ordered = matches!(ty, Type::Number | Type::Date | Type::Duration);
        let bound = |c: &mut Self, e: Option<&ast::Expr>, word: &str| -> Bound {
            let e = e?;
            if !ordered {
                c.error(
                    RawDiagnostic::new(
                        Code::E211,
                        e.span.0,
                        format!("`{word}` on a parameter of type {}", ty.name()),
                    )
                    .label("no order")
                    .help("bounds apply to numbers, dates and durations"),
                );
                return None;
            }
            let v = c.constant(e, ty);
            v.ty().fits(ty).then_some((v, e.span.0))
        };
        let lo = bound(self, p.at_least.as_ref(), "at least");
        let hi = bound(self, p.at_most.as_ref(), "at most");
        if let (Some((l, _)), Some((h, at))) = (&lo, &hi)
            && compare_consts(l, h).is_none_or(|o| o == std::cmp::Ordering::Greater)
        {
            self.error(
                RawDiagnostic::new(
                    Code::E212,
                    *at,
                    format!(
                        "`at most {}` is below `at least {}`",
                        const_text(h),
                        const_text(l)
                    ),
                )
                .label("no value fits both"),
            );
        } else if default.ty().fits(ty) && *default != Const::Null {
            self.default_within(p, default, &lo, &hi);
        }
        (lo.map(|(c, _)| c), hi.map(|(c, _)| c))
    }

    /// E212 when the default is outside its own bounds.
    fn default_within(&mut self, p: &ast::Param, default: &Const, lo: &Bound, hi: &Bound) {
        use std::cmp::Ordering::{Greater, Less};
        for (bound, word, wrong) in [(lo, "at least", Less), (hi, "at most", Greater)] {
            let Some((b, _)) = bound else {
                continue;
            };
            if compare_consts(default, b).is_none_or(|o| o == wrong) {
                self.error(
                    RawDiagnostic::new(
                        Code::E212,
                        p.default.span.0,
                        format!(
                            "the default {} of `{}` is outside its bounds",
                            const_text(default),
                            p.name.name
                        ),
                    )
                    .label(format!("must be {word} {}", const_text(b))),
                );
                return;
            }
        }
    }

    /// Resolves every parameter's `overridden by` path, once the evidence declaration of every
    /// file is known (E213).
    pub(super) fn param_overrides(&mut self, files: &[ParsedFile]) {
        for f in files {
            for item in &f.ast.items {
                let ast::Item::Param(p) = item else {
                    continue;
                };
                let Some(path) = &p.overridden_by else {
                    continue;
                };
                // Only the declaration the parameter's entry came from (E205 for another).
                let Some(entry) = self.decls.params.get(&p.name.name) else {
                    continue;
                };
                if entry.at.file != f.id || entry.at.span != p.name.span.0 {
                    continue;
                }
                let ty = entry.def.ty.clone();
                let resolved = self.override_path(path, &ty, &p.name.name);
                if let Some(entry) = self.decls.params.get_mut(&p.name.name) {
                    entry.def.overridden_by = resolved;
                }
            }
        }
    }

    /// The read of `path`: a declared evidence field of type `ty`, reached through objects.
    fn override_path(
        &mut self,
        path: &ast::ParamPath,
        ty: &Type,
        param: &str,
    ) -> Option<OverriddenBy> {
        let dotted = path.dotted();
        let Some(mut shape) = self.schema.root else {
            self.error(
                RawDiagnostic::new(
                    Code::E213,
                    path.span.0,
                    format!("`{dotted}` is not a declared evidence field"),
                )
                .help("the pack declares no `evidence { … }`"),
            );
            return None;
        };
        let mut steps = Vec::with_capacity(path.names.len());
        for (i, name) in path.names.iter().enumerate() {
            let so_far = names_before(path, i);
            let fields = match self.schema.shapes.get(shape as usize) {
                Some(Shape::Object(fields)) => fields,
                Some(Shape::List(_)) => {
                    let list = i
                        .checked_sub(1)
                        .and_then(|j| path.names.get(j))
                        .unwrap_or(name);
                    self.error(
                        RawDiagnostic::new(
                            Code::E213,
                            list.span.0,
                            format!("`overridden by {dotted}` goes through the list `{so_far}`"),
                        )
                        .label("inside a list")
                        .help(format!(
                            "`{param}` has one value per evidence document: name a field outside any list"
                        )),
                    );
                    return None;
                }
                _ => {
                    self.error(RawDiagnostic::new(
                        Code::E213,
                        name.span.0,
                        format!(
                            "`{so_far}` is not an object, so it has no field `{}`",
                            name.name
                        ),
                    ));
                    return None;
                }
            };
            let Some(&field) = fields.get(&name.name) else {
                let help = did_you_mean(&name.name, fields.keys().map(String::as_str));
                self.error(
                    RawDiagnostic::new(
                        Code::E213,
                        name.span.0,
                        format!("`{dotted}` is not a declared evidence field"),
                    )
                    .label("not declared in the evidence")
                    .maybe_help(help),
                );
                return None;
            };
            steps.push(Step::Key(self.key(&name.name)));
            shape = field;
        }
        let found = self.shape_type(shape);
        if found != *ty {
            self.error(
                RawDiagnostic::new(
                    Code::E213,
                    path.span.0,
                    format!(
                        "`{dotted}` is a {}, but `{param}` is a {}",
                        found.name(),
                        ty.name()
                    ),
                )
                .label("another type"),
            );
            return None;
        }
        let read = Expr {
            kind: ExprKind::Path {
                base: PathBase::Root,
                steps: steps.into_boxed_slice(),
                expect: self.expect_for(shape),
            },
            span: path.span.0,
        };
        Some(OverriddenBy { dotted, read })
    }
}

/// The first `i` names of `path`, dotted (the whole document's name when `i` is 0).
fn names_before(path: &ast::ParamPath, i: usize) -> String {
    let names: Vec<&str> = path.names.iter().take(i).map(|n| n.name.as_str()).collect();
    if names.is_empty() {
        "the evidence".into()
    } else {
        names.join(".")
    }
}
