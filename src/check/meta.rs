//! Checking the pack's title per language (E207, E214 when the first language has none, W003
//! for another declared language without one: its renderings fall back to the first
//! language's title), and a requirement's finding metadata: `basis EXPR` (a text naming how the facts were
//! obtained; E304 for a constant that is not a basis), `severe CATEGORY [when COND]` and
//! `expected LANG "…"`. A clause's `basis` and `severe` are compiled again in the scope of each
//! requirement without its own, like its remediation, so that they may name the requirement's
//! loop variables.

use super::Checker;
use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic, did_you_mean};
use crate::program::{Const, Expr, ExprKind, SevereDef, Template, Type};

/// The bases of `basis EXPR`: the names of [`crate::report::Basis`].
const BASES: [&str; 3] = ["verified", "self_reported", "alleged"];

/// A clause-level line that each requirement without its own inherits, and whether one did.
pub(super) type Inherited<T> = Option<(T, bool)>;

impl Checker<'_> {
    /// The header's title per language: `pack NAME "…"` is the title in every language (held
    /// under the first); `pack NAME title en "…" sv "…"` gives one per language.
    pub(super) fn pack_titles(&mut self, h: &ast::Header) -> Vec<(String, String)> {
        let first = self
            .languages
            .first()
            .cloned()
            .unwrap_or_else(|| "en".into());
        if h.titles.is_empty() {
            return vec![(first, h.title.clone())];
        }
        let mut out: Vec<(String, String)> = Vec::new();
        for t in &h.titles {
            let seen: Vec<String> = out.iter().map(|(l, _)| l.clone()).collect();
            self.language(&t.lang, &seen);
            out.push((t.lang.name.clone(), t.text.clone()));
        }
        for (i, lang) in self.languages.clone().into_iter().enumerate() {
            if out.iter().any(|(l, _)| *l == lang) {
                continue;
            }
            let d = if i == 0 {
                RawDiagnostic::new(
                    Code::E214,
                    h.name.span.0,
                    format!("the pack has no title in `{lang}`, its first language"),
                )
                .help(format!("add `{lang} \"…\"` to the title"))
            } else {
                RawDiagnostic::new(
                    Code::W003,
                    h.name.span.0,
                    format!("the pack has no title in `{lang}`"),
                )
                .help(format!(
                    "add `{lang} \"…\"` to the title; without one the `{lang}` renderings show the `{first}` title"
                ))
            };
            self.error(d);
        }
        out
    }

    /// A requirement's own line, or else the clause's compiled in the requirement's scope
    /// (its diagnostics once however many requirements inherit it).
    pub(super) fn own_or_inherited<T: Clone, O>(
        &mut self,
        own: Option<&T>,
        slot: fn(&mut Self) -> &mut Inherited<T>,
        compile: fn(&mut Self, &T) -> O,
    ) -> Option<O> {
        if let Some(own) = own {
            return Some(compile(self, own));
        }
        let (line, _) = slot(self).take()?;
        let before = self.diags.len();
        let out = compile(self, &line);
        self.dedupe_diagnostics(before);
        *slot(self) = Some((line, true));
        Some(out)
    }

    /// A clause-level line no requirement inherited: checked in the clause's scope, for its
    /// diagnostics.
    pub(super) fn check_uninherited<T>(
        &mut self,
        slot: fn(&mut Self) -> &mut Inherited<T>,
        compile: fn(&mut Self, &T),
    ) {
        if let Some((line, false)) = slot(self).take() {
            compile(self, &line);
        }
    }

    /// `basis EXPR`: a text, `"verified"`, `"self_reported"` or `"alleged"`.
    pub(super) fn basis(&mut self, e: &ast::Expr) -> Expr {
        let (out, ty) = self.expr(e);
        self.expect_type(
            &ty,
            &Type::String,
            out.span,
            "`basis` needs a text: `\"verified\"`, `\"self_reported\"` or `\"alleged\"`",
        );
        self.known_texts(
            &out,
            &BASES,
            "basis",
            "a basis is `\"verified\"` (seen by an auditor), `\"self_reported\"` (stated by the supplier) or `\"alleged\"` (reported by others: an NGO, a union, the media)",
        );
        out
    }

    /// `severe CATEGORY [when COND]`.
    pub(super) fn severe(&mut self, s: &ast::Severe) -> SevereDef {
        if s.category.trim().is_empty() {
            self.error(
                RawDiagnostic::new(
                    Code::E304,
                    s.category_span.0,
                    "an empty severe-deviation category",
                )
                .help("name the category, e.g. `severe \"child_labour\"`"),
            );
        }
        SevereDef {
            category: s.category.clone(),
            when: s.when.as_ref().map(|e| {
                // May name the finding's `severity`, as a remediation does.
                let saved = self.frame.context;
                self.frame.context = super::Context::Remediation;
                let out = self.condition(e, "`severe … when`");
                self.frame.context = saved;
                out
            }),
        }
    }

    /// `expected LANG "…"`: texts in the pack's languages, with the holes of a message.
    pub(super) fn expected_texts(&mut self, texts: &[ast::MessageText]) -> Vec<(String, Template)> {
        let saved = self.frame.context;
        self.frame.context = super::Context::Message;
        let mut out: Vec<(String, Template)> = Vec::new();
        for t in texts {
            self.language(
                &t.lang,
                &out.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>(),
            );
            let tpl = self.template(&t.template);
            out.push((t.lang.name.clone(), tpl));
        }
        self.frame.context = saved;
        out
    }

    /// E304 for a constant text that `e` can give and that is not one of `allowed` (the
    /// branches of `if` and `??` are looked into).
    pub(super) fn known_texts(&mut self, e: &Expr, allowed: &[&str], noun: &str, help: &str) {
        match &e.kind {
            ExprKind::Const(Const::Str(text)) if !allowed.contains(&&**text) => {
                let suggestion = did_you_mean(text, allowed.iter().copied());
                let listed = allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(
                    RawDiagnostic::new(Code::E304, e.span, format!("`{text}` is not a {noun}"))
                        .label(format!("not one of {listed}"))
                        .maybe_help(suggestion.or_else(|| Some(help.into()))),
                );
            }
            ExprKind::If(_, a, b) | ExprKind::Coalesce(a, b) => {
                self.known_texts(a, allowed, noun, help);
                self.known_texts(b, allowed, noun, help);
            }
            _ => {}
        }
    }
}
