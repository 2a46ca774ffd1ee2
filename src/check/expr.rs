//! Checking expressions: name resolution, evidence paths, builtin signatures and types.

use std::sync::Arc;

use super::{Checker, Context};
use crate::ast::{self, AggregateKind, BinaryOp, UnaryOp};
use crate::diagnostic::{Code, RawDiagnostic, did_you_mean};
use crate::program::{
    ArithOp, Binding, Builtin, CmpOp, Const, Expect, Expr, ExprKind, PathBase, Shape, Step, Type,
};
use crate::source::Span;

/// Whether a name is a builtin function (pack functions may not take it).
pub(super) fn is_builtin(name: &str) -> bool {
    BUILTINS.iter().any(|(n, _)| *n == name)
}

const BUILTINS: &[(&str, Builtin)] = &[
    ("age", Builtin::Age),
    ("date", Builtin::Date),
    ("lower", Builtin::Lower),
    ("upper", Builtin::Upper),
    ("contains", Builtin::Contains),
    ("starts_with", Builtin::StartsWith),
    ("ends_with", Builtin::EndsWith),
    ("length", Builtin::Length),
    ("min", Builtin::Min),
    ("max", Builtin::Max),
    ("exists", Builtin::Exists),
    ("known", Builtin::Known),
    ("round", Builtin::Round),
    ("abs", Builtin::Abs),
    ("days_between", Builtin::DaysBetween),
];

/// A step of a longer chain of fields and items on a computed value: like the inner steps of
/// an evidence path, only the value finally read is checked against its declared shape.
fn intermediate(kind: ExprKind) -> ExprKind {
    match kind {
        ExprKind::Index(base, key, _) => ExprKind::Index(base, key, Expect::Any),
        other => other,
    }
}

fn null(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Const(Const::Null),
        span,
    }
}

impl Checker<'_> {
    /// Reports a type error unless `ty` fits `want`.
    pub(super) fn expect_type(&mut self, ty: &Type, want: &Type, span: Span, what: &str) {
        if !ty.fits(want) {
            self.error(
                RawDiagnostic::new(
                    Code::E301,
                    span,
                    format!("expected a {}, found a {}", want.name(), ty.name()),
                )
                .label(what.to_string()),
            );
        }
    }

    /// A condition: must be true/false.
    pub(super) fn condition(&mut self, e: &ast::Expr, what: &str) -> Expr {
        let (out, ty) = self.expr(e);
        if !ty.fits(&Type::Bool) {
            self.error(
                RawDiagnostic::new(
                    Code::E303,
                    e.span.0,
                    format!("{what} needs a condition, found a {}", ty.name()),
                )
                .label("not true or false")
                .help("compare it, e.g. `x == true`, `x >= 15`, or test `exists(x)`"),
            );
        }
        out
    }

    /// Binds loop variables in the current scope, in order; each may use the earlier ones.
    pub(super) fn bindings(&mut self, bindings: &[ast::Binding]) -> Vec<Binding> {
        let mut out = Vec::new();
        for b in bindings {
            let (collection, ty) = self.expr(&b.collection);
            let item = match ty {
                Type::List(t) => *t,
                Type::Any => Type::Any,
                other => {
                    self.error(
                        RawDiagnostic::new(
                            Code::E301,
                            b.collection.span.0,
                            format!("expected a list, found a {}", other.name()),
                        )
                        .label("not a list"),
                    );
                    Type::Any
                }
            };
            let slot = self.bind(&b.var, item);
            let filter = b.filter.as_ref().map(|f| self.condition(f, "`where`"));
            let lookup = crate::program::lookup_for(slot, filter.as_ref());
            out.push(Binding {
                slot,
                collection,
                filter,
                lookup,
            });
        }
        out
    }

    fn lookup_local(&self, name: &str) -> Option<(usize, Type)> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|s| s.iter().rev())
            .find(|l| l.name == name)
            .map(|l| (l.slot, l.ty.clone()))
    }

    fn visible(&self, file: crate::source::FileId) -> bool {
        self.visible
            .get(&self.file)
            .is_none_or(|v| v.contains(&file))
    }

    fn not_visible(&mut self, kind: &str, name: &ast::Ident, file: crate::source::FileId) {
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
            .scopes
            .iter()
            .flat_map(|s| s.iter().map(|l| l.name.clone()))
            .collect();
        c.extend(self.params.keys().cloned());
        c.extend(self.tables.keys().cloned());
        c.extend(self.globals.keys().cloned());
        c.push("as_of".into());
        if let Some(Shape::Object(fields)) =
            self.evidence.and_then(|id| self.shapes.get(id as usize))
        {
            c.extend(fields.keys().cloned());
        }
        c
    }

    fn name(&mut self, id: &ast::Ident, span: Span) -> (Expr, Type) {
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
        if let Some(&(idx, file, _)) = self.params.get(name) {
            if !self.visible(file) {
                self.not_visible("parameter", id, file);
            }
            if let Some(u) = self.used_params.get_mut(idx) {
                *u = true;
            }
            let ty = self.param_defs.get(idx).map_or(Type::Any, |p| p.ty.clone());
            return (
                Expr {
                    kind: ExprKind::Param(idx),
                    span,
                },
                ty,
            );
        }
        if let Some((idx, file, _, ty)) = self.globals.get(name).cloned() {
            if !self.visible(file) {
                self.not_visible("definition", id, file);
            }
            if let Some(u) = self.used_globals.get_mut(idx) {
                *u = true;
            }
            return (
                Expr {
                    kind: ExprKind::Global(idx),
                    span,
                },
                ty,
            );
        }
        if self.tables.contains_key(name) {
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
        match (name, self.context) {
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
        if let Some(root) = self.evidence
            && let Some(Shape::Object(fields)) = self.shapes.get(root as usize)
            && let Some(&field) = fields.get(name)
        {
            let ty = self.shape_type(field);
            let steps: Box<[Step]> = Box::new([Step::Key(Arc::from(name))]);
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
        let help = did_you_mean(name, self.candidates().iter().map(String::as_str));
        let help = help.or_else(|| {
            Some(if self.evidence.is_some() {
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
    fn object_fields(
        &self,
        ty: &Type,
    ) -> Option<&indexmap::IndexMap<String, crate::program::ShapeId>> {
        match ty {
            Type::Object(id) => match self.shapes.get(*id as usize) {
                Some(Shape::Object(f)) => Some(f),
                _ => None,
            },
            _ => None,
        }
    }

    fn field(&mut self, base: &ast::Expr, name: &ast::Ident, span: Span) -> (Expr, Type) {
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
                v.push(Step::Key(Arc::from(name.name.as_str())));
                ExprKind::Path {
                    base,
                    steps: v.into_boxed_slice(),
                    expect,
                }
            }
            ExprKind::Local(slot) => ExprKind::Path {
                base: PathBase::Local(slot),
                steps: Box::new([Step::Key(Arc::from(name.name.as_str()))]),
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

    fn index(&mut self, base: &ast::Expr, idx: &ast::Expr, span: Span) -> (Expr, Type) {
        // A table lookup.
        if let ast::ExprKind::Name(id) = &base.kind
            && self.lookup_local(&id.name).is_none()
            && let Some(&(t, file, _)) = self.tables.get(&id.name)
        {
            if !self.visible(file) {
                self.not_visible("table", id, file);
            }
            if let Some(u) = self.used_tables.get_mut(t) {
                *u = true;
            }
            let (key, kty) = self.expr(idx);
            self.expect_type(&kty, &Type::String, key.span, "table keys are strings");
            let ty = self.table_defs.get(t).map_or(Type::Any, |d| d.ty.clone());
            return (
                Expr {
                    kind: ExprKind::Table(t, Box::new(key)),
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
            ExprKind::Const(Const::Str(s)) => Some(Step::Key(s.clone())),
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

    fn call(&mut self, name: &ast::Ident, args: &[ast::Expr], span: Span) -> (Expr, Type) {
        if let Some((idx, file, _, arity, ty)) = self.functions.get(&name.name).cloned() {
            if !self.visible(file) {
                self.not_visible("function", name, file);
            }
            let mut out = Vec::new();
            for a in args {
                out.push(self.expr(a).0);
            }
            if args.len() != arity {
                self.error(
                    RawDiagnostic::new(
                        Code::E302,
                        span,
                        format!(
                            "`{}` takes {arity} argument{}",
                            name.name,
                            if arity == 1 { "" } else { "s" }
                        ),
                    )
                    .label(format!("{} given", args.len())),
                );
            }
            return (
                Expr {
                    kind: ExprKind::CallFunction(idx, out),
                    span,
                },
                ty,
            );
        }
        let Some(&(_, builtin)) = BUILTINS.iter().find(|(n, _)| *n == name.name) else {
            let names: Vec<String> = BUILTINS
                .iter()
                .map(|(n, _)| (*n).to_string())
                .chain(self.functions.keys().cloned())
                .collect();
            let help = did_you_mean(&name.name, names.iter().map(String::as_str));
            self.error(
                RawDiagnostic::new(
                    Code::E202,
                    name.span.0,
                    format!("unknown function `{}`", name.name),
                )
                .label("not a function")
                .maybe_help(help.or_else(|| {
                    Some(format!(
                        "functions are {}",
                        BUILTINS
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })),
            );
            return (null(span), Type::Any);
        };
        // A date literal is folded and checked now.
        if builtin == Builtin::Date
            && let [
                ast::Expr {
                    kind: ast::ExprKind::Str(s),
                    span: sspan,
                },
            ] = args
        {
            let d = self.date_literal(s, sspan.0);
            return (
                Expr {
                    kind: ExprKind::Const(Const::Date(d)),
                    span,
                },
                Type::Date,
            );
        }
        let mut out = Vec::new();
        let mut tys = Vec::new();
        for a in args {
            let (e, t) = self.expr(a);
            out.push(e);
            tys.push(t);
        }
        let arity_ok = match builtin {
            Builtin::Min | Builtin::Max => args.len() >= 2,
            Builtin::Age
            | Builtin::Contains
            | Builtin::StartsWith
            | Builtin::EndsWith
            | Builtin::Round
            | Builtin::DaysBetween => args.len() == 2,
            _ => args.len() == 1,
        };
        if !arity_ok {
            let sig = match builtin {
                Builtin::Age => "age(date_of_birth, on_date)",
                Builtin::Date => "date(\"YYYY-MM-DD\")",
                Builtin::Lower => "lower(text)",
                Builtin::Upper => "upper(text)",
                Builtin::Contains => "contains(list_or_text, item)",
                Builtin::StartsWith => "starts_with(text, prefix)",
                Builtin::EndsWith => "ends_with(text, suffix)",
                Builtin::Length => "length(list_or_text)",
                Builtin::Min => "min(a, b, …)",
                Builtin::Max => "max(a, b, …)",
                Builtin::Exists => "exists(path)",
                Builtin::Known => "known(path)",
                Builtin::Round => "round(number, places)",
                Builtin::Abs => "abs(number)",
                Builtin::DaysBetween => "days_between(from, to)",
            };
            self.error(
                RawDiagnostic::new(
                    Code::E302,
                    span,
                    format!("`{}` takes different arguments", name.name),
                )
                .label(format!("{} given", args.len()))
                .help(format!("write `{sig}`")),
            );
            return (
                Expr {
                    kind: ExprKind::Call(builtin, out),
                    span,
                },
                Type::Any,
            );
        }
        let want = |c: &mut Self, i: usize, t: &Type, what: &str| {
            if let (Some(ty), Some(e)) = (tys.get(i), out.get(i)) {
                c.expect_type(ty, t, e.span, what);
            }
        };
        let ty = match builtin {
            Builtin::Age => {
                want(self, 0, &Type::Date, "a date of birth");
                want(self, 1, &Type::Date, "the date the age is taken on");
                Type::Number
            }
            Builtin::DaysBetween => {
                want(self, 0, &Type::Date, "a date");
                want(self, 1, &Type::Date, "a date");
                Type::Number
            }
            Builtin::Date => {
                want(self, 0, &Type::String, "a text like \"2024-10-31\"");
                Type::Date
            }
            Builtin::Lower | Builtin::Upper => {
                want(self, 0, &Type::String, "a text");
                Type::String
            }
            Builtin::StartsWith | Builtin::EndsWith => {
                want(self, 0, &Type::String, "a text");
                want(self, 1, &Type::String, "a text");
                Type::Bool
            }
            Builtin::Contains => {
                if let Some(t) = tys.first()
                    && !matches!(t, Type::List(_) | Type::String | Type::Any)
                {
                    want(
                        self,
                        0,
                        &Type::List(Box::new(Type::Any)),
                        "a list or a text",
                    );
                }
                Type::Bool
            }
            Builtin::Length => {
                if let Some(t) = tys.first()
                    && !matches!(t, Type::List(_) | Type::String | Type::Any)
                {
                    want(
                        self,
                        0,
                        &Type::List(Box::new(Type::Any)),
                        "a list or a text",
                    );
                }
                Type::Number
            }
            Builtin::Min | Builtin::Max => {
                let concrete: Vec<Type> = tys
                    .iter()
                    .filter(|t| **t != Type::Any && **t != Type::Null)
                    .cloned()
                    .collect();
                let first = concrete.first().cloned().unwrap_or(Type::Any);
                if !matches!(
                    first,
                    Type::Number | Type::Date | Type::Duration | Type::Any
                ) {
                    want(self, 0, &Type::Number, "numbers or dates");
                }
                for (i, t) in tys.iter().enumerate() {
                    if !t.fits(&first) {
                        let span = out.get(i).map_or(span, |e| e.span);
                        self.expect_type(t, &first, span, "all arguments must have one type");
                    }
                }
                first
            }
            Builtin::Exists | Builtin::Known => Type::Bool,
            Builtin::Round => {
                want(self, 0, &Type::Number, "a number");
                want(self, 1, &Type::Number, "decimal places");
                Type::Number
            }
            Builtin::Abs => {
                want(self, 0, &Type::Number, "a number");
                Type::Number
            }
        };
        (
            Expr {
                kind: ExprKind::Call(builtin, out),
                span,
            },
            ty,
        )
    }

    fn aggregate(
        &mut self,
        kind: AggregateKind,
        bindings: &[ast::Binding],
        body: Option<&ast::Expr>,
        span: Span,
    ) -> (Expr, Type) {
        let depth = self.scopes.len();
        let saved_slot = self.next_slot;
        self.scopes.push(Vec::new());
        let b = self.bindings(bindings);
        let body = body.map(|e| self.expr(e));
        self.scopes.truncate(depth);
        self.next_slot = saved_slot;
        let name = kind.name();
        let needs_body = !matches!(kind, AggregateKind::Count);
        let ty = match (&body, kind) {
            (None, _) if needs_body => {
                self.error(
                    RawDiagnostic::new(
                        Code::E306,
                        span,
                        format!("`{name}` needs a `: …` after its items"),
                    )
                    .help(format!("e.g. `{name}(w in weeks: w.total_hours > 60)`")),
                );
                Type::Any
            }
            (_, AggregateKind::Count) => Type::Number,
            (
                Some((_, t)),
                AggregateKind::Any
                | AggregateKind::All
                | AggregateKind::None
                | AggregateKind::Share,
            ) => {
                if !t.fits(&Type::Bool) {
                    self.error(
                        RawDiagnostic::new(
                            Code::E306,
                            span,
                            format!("`{name}` needs a condition after `:`, found a {}", t.name()),
                        )
                        .help(format!("e.g. `{name}(w in weeks: w.total_hours > 60)`")),
                    );
                }
                if kind == AggregateKind::Share {
                    Type::Number
                } else {
                    Type::Bool
                }
            }
            (Some((_, t)), AggregateKind::First) => t.clone(),
            (Some((_, t)), AggregateKind::CountDistinct) => {
                if !matches!(
                    t,
                    Type::String | Type::Number | Type::Date | Type::Bool | Type::Any
                ) {
                    self.error(RawDiagnostic::new(
                        Code::E306,
                        span,
                        format!(
                            "`count_distinct` needs texts, numbers or dates, found a {}",
                            t.name()
                        ),
                    ));
                }
                Type::Number
            }
            (Some((_, t)), AggregateKind::Sum | AggregateKind::Average) => {
                if !t.fits(&Type::Number) {
                    self.error(RawDiagnostic::new(
                        Code::E306,
                        span,
                        format!("`{name}` needs numbers, found a {}", t.name()),
                    ));
                }
                Type::Number
            }
            (Some((_, t)), _) => {
                if !matches!(t, Type::Number | Type::Date | Type::Duration | Type::Any) {
                    self.error(RawDiagnostic::new(
                        Code::E306,
                        span,
                        format!("`{name}` needs numbers or dates, found a {}", t.name()),
                    ));
                }
                t.clone()
            }
            (None, _) => Type::Any,
        };
        let body = body.map(|(e, _)| Box::new(e));
        (
            Expr {
                kind: ExprKind::Aggregate {
                    kind,
                    bindings: b,
                    body,
                },
                span,
            },
            ty,
        )
    }

    /// Reports texts compared with an enumerated evidence field that it can never hold.
    fn check_enum_literals(&mut self, field: &Expr, other: &Expr) {
        let Some(allowed) = self.enum_values(field).map(<[String]>::to_vec) else {
            return;
        };
        let texts: Vec<(&str, Span)> = match &other.kind {
            ExprKind::Const(Const::Str(s)) => vec![(s, other.span)],
            ExprKind::Const(Const::List(items)) => items
                .iter()
                .filter_map(|c| match c {
                    Const::Str(s) => Some((&**s, other.span)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for (text, span) in texts {
            if !allowed.iter().any(|a| a == text) {
                let help =
                    did_you_mean(text, allowed.iter().map(String::as_str)).unwrap_or_else(|| {
                        let list: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
                        format!("the evidence declares {}", list.join(", "))
                    });
                self.error(
                    RawDiagnostic::new(
                        Code::E304,
                        span,
                        format!("{text:?} is not a value this field can have"),
                    )
                    .label("never matches")
                    .help(help),
                );
            }
        }
    }

    fn binary(&mut self, op: BinaryOp, l: &ast::Expr, r: &ast::Expr, span: Span) -> (Expr, Type) {
        let (le, lt) = self.expr(l);
        let (re, rt) = self.expr(r);
        if matches!(
            op,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::In | BinaryOp::NotIn
        ) {
            self.check_enum_literals(&le, &re);
            // `"text" == field`, or `"text" in list_of_codes`.
            self.check_enum_literals(&re, &le);
        }
        let mismatch = |c: &mut Self| {
            c.error(
                RawDiagnostic::new(
                    Code::E301,
                    span,
                    format!(
                        "`{}` cannot combine a {} and a {}",
                        op.symbol(),
                        lt.name(),
                        rt.name()
                    ),
                )
                .label("mismatched types"),
            );
        };
        let b = |e: Expr| Box::new(e);
        use Type as T;
        let (kind, ty) = match op {
            BinaryOp::And | BinaryOp::Or => {
                for (t, e) in [(&lt, &le), (&rt, &re)] {
                    if !t.fits(&T::Bool) {
                        self.error(
                            RawDiagnostic::new(
                                Code::E303,
                                e.span,
                                format!("`{}` needs conditions, found a {}", op.symbol(), t.name()),
                            )
                            .label("not true or false"),
                        );
                    }
                }
                let kind = if op == BinaryOp::And {
                    ExprKind::And(b(le), b(re))
                } else {
                    ExprKind::Or(b(le), b(re))
                };
                (kind, T::Bool)
            }
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => {
                let cmp = match op {
                    BinaryOp::Eq => CmpOp::Eq,
                    BinaryOp::Ne => CmpOp::Ne,
                    BinaryOp::Lt => CmpOp::Lt,
                    BinaryOp::Le => CmpOp::Le,
                    BinaryOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                if !lt.fits(&rt) {
                    mismatch(self);
                } else if !matches!(cmp, CmpOp::Eq | CmpOp::Ne) {
                    let t = if lt == T::Any || lt == T::Null {
                        &rt
                    } else {
                        &lt
                    };
                    if !matches!(
                        t,
                        T::Number | T::Date | T::Duration | T::String | T::Any | T::Null
                    ) {
                        self.error(
                            RawDiagnostic::new(
                                Code::E301,
                                span,
                                format!("a {} cannot be ordered with `{}`", t.name(), op.symbol()),
                            )
                            .label("not a number, date, duration or text"),
                        );
                    }
                }
                (ExprKind::Cmp(cmp, b(le), b(re)), T::Bool)
            }
            BinaryOp::In | BinaryOp::NotIn => {
                match &rt {
                    T::List(item) => {
                        if !lt.fits(item) {
                            mismatch(self);
                        }
                    }
                    T::Any | T::String => {}
                    _ => mismatch(self),
                }
                (
                    ExprKind::In {
                        item: b(le),
                        list: b(re),
                        negated: op == BinaryOp::NotIn,
                    },
                    T::Bool,
                )
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let aop = match op {
                    BinaryOp::Add => ArithOp::Add,
                    BinaryOp::Sub => ArithOp::Sub,
                    BinaryOp::Mul => ArithOp::Mul,
                    _ => ArithOp::Div,
                };
                let ty = match (aop, &lt, &rt) {
                    (_, T::Number, T::Number) => Some(T::Number),
                    (ArithOp::Add | ArithOp::Sub, T::Date, T::Duration) => Some(T::Date),
                    (ArithOp::Add, T::Duration, T::Date) => Some(T::Date),
                    (ArithOp::Sub, T::Date, T::Date) => Some(T::Duration),
                    (ArithOp::Add | ArithOp::Sub, T::Duration, T::Duration) => Some(T::Duration),
                    (ArithOp::Add | ArithOp::Sub, T::Any, T::Duration)
                    | (ArithOp::Add, T::Duration, T::Any) => Some(T::Date),
                    (ArithOp::Sub, T::Date, T::Any) | (ArithOp::Sub, T::Any, T::Date) => {
                        Some(T::Any)
                    }
                    (_, T::Any, T::Number) | (_, T::Number, T::Any) => Some(T::Number),
                    (ArithOp::Add, T::Date, T::Any) => Some(T::Any),
                    (_, T::Any, T::Any) => Some(T::Any),
                    _ => None,
                };
                let ty = ty.unwrap_or_else(|| {
                    mismatch(self);
                    T::Any
                });
                (ExprKind::Arith(aop, b(le), b(re)), ty)
            }
            BinaryOp::Coalesce => {
                if !lt.fits(&rt) {
                    mismatch(self);
                }
                let ty = if lt == T::Any || lt == T::Null {
                    rt.clone()
                } else {
                    lt.clone()
                };
                (ExprKind::Coalesce(b(le), b(re)), ty)
            }
        };
        (Expr { kind, span }, ty)
    }

    /// Checks and lowers an expression.
    pub(super) fn expr(&mut self, e: &ast::Expr) -> (Expr, Type) {
        use ast::ExprKind as K;
        let span = e.span.0;
        match &e.kind {
            K::Number(_) | K::Str(_) | K::Bool(_) | K::Null => {
                let c = self.fold(e).unwrap_or(Const::Null);
                let ty = c.ty();
                (
                    Expr {
                        kind: ExprKind::Const(c),
                        span,
                    },
                    ty,
                )
            }
            K::Name(id) => self.name(id, span),
            K::Field(base, name) => self.field(base, name, span),
            K::Index(base, idx) => self.index(base, idx, span),
            K::Call(name, args) => self.call(name, args, span),
            K::Aggregate {
                kind,
                bindings,
                body,
            } => self.aggregate(*kind, bindings, body.as_deref(), span),
            K::List(items) => {
                if let Some(c) = self.fold(e) {
                    let ty = c.ty();
                    return (
                        Expr {
                            kind: ExprKind::Const(c),
                            span,
                        },
                        ty,
                    );
                }
                let mut out = Vec::new();
                let mut item_ty = Type::Any;
                for i in items {
                    let (x, t) = self.expr(i);
                    if item_ty == Type::Any {
                        item_ty = t;
                    } else if !t.fits(&item_ty) {
                        self.expect_type(
                            &t,
                            &item_ty.clone(),
                            x.span,
                            "list items must have one type",
                        );
                    }
                    out.push(x);
                }
                (
                    Expr {
                        kind: ExprKind::List(out),
                        span,
                    },
                    Type::List(Box::new(item_ty)),
                )
            }
            K::Unary(UnaryOp::Not, inner) => {
                let (x, t) = self.expr(inner);
                if !t.fits(&Type::Bool) {
                    self.error(
                        RawDiagnostic::new(
                            Code::E303,
                            inner.span.0,
                            format!("`not` needs a condition, found a {}", t.name()),
                        )
                        .label("not true or false"),
                    );
                }
                (
                    Expr {
                        kind: ExprKind::Not(Box::new(x)),
                        span,
                    },
                    Type::Bool,
                )
            }
            K::Unary(UnaryOp::Neg, inner) => {
                if let Some(c) = self.fold(e) {
                    let ty = c.ty();
                    return (
                        Expr {
                            kind: ExprKind::Const(c),
                            span,
                        },
                        ty,
                    );
                }
                let (x, t) = self.expr(inner);
                self.expect_type(&t, &Type::Number, x.span, "`-` needs a number");
                (
                    Expr {
                        kind: ExprKind::Neg(Box::new(x)),
                        span,
                    },
                    Type::Number,
                )
            }
            K::Binary(op, l, r) => self.binary(*op, l, r, span),
            K::If(c, a, b) => {
                let c = self.condition(c, "`if`");
                let (a, at) = self.expr(a);
                let (b, bt) = self.expr(b);
                if !at.fits(&bt) {
                    self.error(
                        RawDiagnostic::new(
                            Code::E301,
                            span,
                            format!("`if` branches differ: a {} and a {}", at.name(), bt.name()),
                        )
                        .label("mismatched branches"),
                    );
                }
                let ty = if at == Type::Any || at == Type::Null {
                    bt
                } else {
                    at
                };
                (
                    Expr {
                        kind: ExprKind::If(Box::new(c), Box::new(a), Box::new(b)),
                        span,
                    },
                    ty,
                )
            }
            K::Duration(inner, unit) => {
                if let Some(c) = self.fold(e) {
                    return (
                        Expr {
                            kind: ExprKind::Const(c),
                            span,
                        },
                        Type::Duration,
                    );
                }
                let (x, t) = self.expr(inner);
                self.expect_type(&t, &Type::Number, x.span, "a duration needs a whole number");
                (
                    Expr {
                        kind: ExprKind::Duration(Box::new(x), *unit),
                        span,
                    },
                    Type::Duration,
                )
            }
        }
    }
}
