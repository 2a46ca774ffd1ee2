//! Checking names and paths: a name → a local, parameter, definition, table, `as_of`/
//! `actual`/`expected`/`severity` or an evidence field; `a.b` and `a[i]` → evidence paths
//! checked against the `evidence` declaration; reports E201, E204, E206 and E301.

use std::sync::Arc;

use indexmap::IndexMap;

use super::expr::null;
use super::{Checker, Context};
use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic, did_you_mean};
use crate::program::{Const, Expect, Expr, ExprKind, PathBase, Shape, ShapeId, Step, Type};
use crate::source::{FileId, Span};

/// A step of a longer chain of fields and items on a computed value: like the inner steps of
/// an evidence path, only the value finally read is checked against its declared shape.
fn intermediate(kind: ExprKind) -> ExprKind {
    match kind {
        ExprKind::Index(base, key, _) => ExprKind::Index(base, key, Expect::Any),
        other => other,
    }
}

impl Checker<'_> {
    /// E206 unless the current file sees the names of `file` (its own, or one it imports).
    pub(super) fn check_visible(&mut self, kind: &str, name: &ast::Ident, file: FileId) {
        let visible = self
            .visible
            .get(&self.file)
            .is_none_or(|v| v.contains(&file));
        if visible {
            return;
        }
        let other = self
            .sources
            .file(file)
            .map(|f| f.name.clone())
            .unwrap_or_default();
        let short = other
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&other)
            .to_string();
        self.error(
            RawDiagnostic::new(
                Code::E206,
                name.span.0,
                format!(
                    "{kind} `{}` is defined in `{short}`, which this file does not import",
                    name.name
                ),
            )
            .help(format!("add `import \"{short}\"` at the top of this file")),
        );
    }

    /// All names visible here, for suggestions.
    fn candidates(&self) -> Vec<String> {
        let mut c: Vec<String> = self
            .frame
            .scopes
            .iter()
            .flat_map(|s| s.iter().map(|l| l.name.clone()))
            .collect();
        c.extend(self.decls.params.keys().cloned());
        c.extend(self.decls.tables.keys().cloned());
        c.extend(self.decls.definitions.keys().cloned());
        c.extend(self.decls.collections.keys().cloned());
        c.push("as_of".into());
        if let Some(Shape::Object(fields)) = self
            .schema
            .root
            .and_then(|id| self.schema.shapes.get(id as usize))
        {
            c.extend(fields.keys().cloned());
        }
        c
    }

    /// A name: a local, parameter, definition, a word of the context (`as_of`, `actual`, …)
    /// or a top-level evidence field; E201 with a suggestion otherwise.
    pub(super) fn name(&mut self, id: &ast::Ident, span: Span) -> (Expr, Type) {
        let name = id.name.as_str();
        if let Some((slot, ty)) = self.lookup_local(name) {
            return (
                Expr {
                    kind: ExprKind::Local(slot),
                    span,
                },
                ty,
            );
        }
        if let Some(p) = self.decls.params.get_mut(name) {
            p.at.used = true;
            let (at, ty) = (p.at, p.def.ty.clone());
            self.check_visible("parameter", id, at.file);
            return (
                Expr {
                    kind: ExprKind::Param(at.index),
                    span,
                },
                ty,
            );
        }
        if let Some(d) = self.decls.definitions.get_mut(name) {
            d.at.used = true;
            let (at, ty) = (d.at, d.ty.clone());
            self.check_visible("definition", id, at.file);
            return (
                Expr {
                    kind: ExprKind::Global(at.index),
                    span,
                },
                ty,
            );
        }
        if self.decls.collections.contains_key(name) {
            self.collection_as_value(name, span);
            return (null(span), Type::Any);
        }
        if self.decls.tables.contains_key(name) {
            self.error(
                RawDiagnostic::new(
                    Code::E301,
                    span,
                    format!("table `{name}` must be looked up with a key"),
                )
                .help(format!("write `{name}[key]`")),
            );
            return (null(span), Type::Any);
        }
        match (name, self.frame.context) {
            ("as_of", _) => {
                return (
                    Expr {
                        kind: ExprKind::AsOf,
                        span,
                    },
                    Type::Date,
                );
            }
            ("severity", Context::Message | Context::Remediation) => {
                return (
                    Expr {
                        kind: ExprKind::Severity,
                        span,
                    },
                    Type::String,
                );
            }
            ("actual", Context::Message) => {
                return (
                    Expr {
                        kind: ExprKind::Actual,
                        span,
                    },
                    Type::Any,
                );
            }
            ("expected", Context::Message) => {
                return (
                    Expr {
                        kind: ExprKind::Expected,
                        span,
                    },
                    Type::String,
                );
            }
            _ => {}
        }
        if let Some(root) = self.schema.root
            && let Some(Shape::Object(fields)) = self.schema.shapes.get(root as usize)
            && let Some(&field) = fields.get(name)
        {
            let ty = self.shape_type(field);
            let steps: Box<[Step]> = Box::new([Step::Key(self.key(name))]);
            let expect = self.expect_for(field);
            return (
                Expr {
                    kind: ExprKind::Path {
                        base: PathBase::Root,
                        steps,
                        expect,
                    },
                    span,
                },
                ty,
            );
        }
        let help = if self.quiet > 0 {
            None
        } else {
            did_you_mean(name, self.candidates().iter().map(String::as_str))
        };
        let help = help.or_else(|| {
            Some(if self.schema.root.is_some() {
                "names are bindings, parameters, tables, `as_of`, or top-level fields of the `evidence` declaration".into()
            } else {
                "the pack declares no `evidence { … }`, so no evidence field can be read".into()
            })
        });
        self.error(
            RawDiagnostic::new(Code::E201, span, format!("unknown name `{name}`"))
                .label("not defined")
                .maybe_help(help),
        );
        (null(span), Type::Any)
    }

    /// The shape id behind a type, when it is a declared object.
    fn object_fields(&self, ty: &Type) -> Option<&IndexMap<String, ShapeId>> {
        match ty {
            Type::Object(id) => match self.schema.shapes.get(*id as usize) {
                Some(Shape::Object(f)) => Some(f),
                _ => None,
            },
            _ => None,
        }
    }

    /// `base.name`: a longer evidence path, or a field of a computed value.
    pub(super) fn field(
        &mut self,
        base: &ast::Expr,
        name: &ast::Ident,
        span: Span,
    ) -> (Expr, Type) {
        let (b, bty) = self.expr(base);
        let mut field_shape = None;
        let ty = match &bty {
            Type::Any => Type::Any,
            Type::Object(_) => {
                let found = self
                    .object_fields(&bty)
                    .and_then(|f| f.get(&name.name).copied());
                field_shape = found;
                if let Some(id) = found {
                    self.shape_type(id)
                } else {
                    let help = self
                        .object_fields(&bty)
                        .filter(|_| self.quiet == 0)
                        .and_then(|f| did_you_mean(&name.name, f.keys().map(String::as_str)))
                        .or_else(|| Some("add the field to the pack's `evidence` declaration if the evidence has it".into()));
                    self.error(
                        RawDiagnostic::new(
                            Code::E204,
                            name.span.0,
                            format!("unknown evidence field `{}`", name.name),
                        )
                        .label("not declared in the evidence")
                        .maybe_help(help),
                    );
                    Type::Any
                }
            }
            other => {
                self.error(
                    RawDiagnostic::new(
                        Code::E301,
                        name.span.0,
                        format!("a {} has no field `{}`", other.name(), name.name),
                    )
                    .label("not an object"),
                );
                Type::Any
            }
        };
        let expect = field_shape.map_or_else(|| Expect::from_type(&ty), |id| self.expect_for(id));
        let kind = match b.kind {
            ExprKind::Path { base, steps, .. } => {
                let mut v = steps.into_vec();
                v.push(Step::Key(self.key(&name.name)));
                ExprKind::Path {
                    base,
                    steps: v.into_boxed_slice(),
                    expect,
                }
            }
            ExprKind::Local(slot) => ExprKind::Path {
                base: PathBase::Local(slot),
                steps: Box::new([Step::Key(self.key(&name.name))]),
                expect,
            },
            other => {
                // A field of a computed value (e.g. an `if` that picks one of two objects).
                let inner = Expr {
                    kind: intermediate(other),
                    span: b.span,
                };
                let key = Expr {
                    kind: ExprKind::Const(Const::Str(Arc::from(name.name.as_str()))),
                    span: name.span.0,
                };
                ExprKind::Index(Box::new(inner), Box::new(key), expect)
            }
        };
        (Expr { kind, span }, ty)
    }

    /// `base[idx]`: a table lookup, or an item or field of a path or value.
    pub(super) fn index(&mut self, base: &ast::Expr, idx: &ast::Expr, span: Span) -> (Expr, Type) {
        // A table lookup.
        if let ast::ExprKind::Name(id) = &base.kind
            && self.lookup_local(&id.name).is_none()
            && let Some(t) = self.decls.tables.get_mut(&id.name)
        {
            t.at.used = true;
            let (at, ty) = (t.at, t.def.ty.clone());
            self.check_visible("table", id, at.file);
            let (key, kty) = self.expr(idx);
            self.expect_type(&kty, &Type::String, key.span, "table keys are strings");
            return (
                Expr {
                    kind: ExprKind::Table(at.index, Box::new(key)),
                    span,
                },
                ty,
            );
        }
        let (b, bty) = self.expr(base);
        let (i, ity) = self.expr(idx);
        let ty = match (&bty, &ity) {
            (Type::List(t), _) => {
                self.expect_type(&ity, &Type::Number, i.span, "list positions are numbers");
                (**t).clone()
            }
            (Type::Object(_), Type::String) => {
                let key = match &i.kind {
                    ExprKind::Const(Const::Str(s)) => Some(s.to_string()),
                    _ => None,
                };
                key.and_then(|k| self.object_fields(&bty).and_then(|f| f.get(&k).copied()))
                    .map_or(Type::Any, |id| self.shape_type(id))
            }
            (Type::Any | Type::Object(_), _) => Type::Any,
            (other, _) => {
                self.error(
                    RawDiagnostic::new(
                        Code::E301,
                        b.span,
                        format!("a {} cannot be indexed", other.name()),
                    )
                    .label("not a list or object"),
                );
                Type::Any
            }
        };
        let step = match &i.kind {
            ExprKind::Const(Const::Str(s)) => Some(Step::Key(self.key(s))),
            ExprKind::Const(Const::Number(n)) => n
                .to_i64()
                .and_then(|n| usize::try_from(n).ok())
                .map(Step::Index),
            _ => None,
        };
        let expect = Expect::from_type(&ty);
        let kind = match (b.kind, step) {
            (ExprKind::Path { base, steps, .. }, Some(step)) => {
                let mut v = steps.into_vec();
                v.push(step);
                ExprKind::Path {
                    base,
                    steps: v.into_boxed_slice(),
                    expect,
                }
            }
            (ExprKind::Local(slot), Some(step)) => ExprKind::Path {
                base: PathBase::Local(slot),
                steps: Box::new([step]),
                expect,
            },
            (kind, _) => {
                let kind = intermediate(kind);
                ExprKind::Index(Box::new(Expr { kind, span: b.span }), Box::new(i), expect)
            }
        };
        (Expr { kind, span }, ty)
    }
}
