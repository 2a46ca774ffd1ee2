//! Checking the header's `labels KEY from LIST: NAME [from FIELD], …`: the AST declaration →
//! a [`LabelsDef`]; reports E219 (the list is not a declared evidence list of objects), E220
//! (the items have no such key, or no such label field), E309 (a label field that is not a
//! scalar) and E205 (a label named twice in one declaration).

use super::Checker;
use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic, did_you_mean};
use crate::program::{LabelsDef, Shape, Type};

impl Checker<'_> {
    /// The checked declaration, or `None` (with its diagnostics) when it cannot be read.
    pub(super) fn labels(&mut self, l: &ast::Labels) -> Option<LabelsDef> {
        let dotted: Vec<&str> = l.list.iter().map(|n| n.name.as_str()).collect();
        let dotted = dotted.join(".");
        let list_span = match (l.list.first(), l.list.last()) {
            (Some(a), Some(b)) => a.span.0.to(b.span.0),
            _ => l.span.0,
        };
        let Some(mut shape) = self.schema.root else {
            self.error(
                RawDiagnostic::new(
                    Code::E219,
                    list_span,
                    format!("`{dotted}` is not a declared evidence list"),
                )
                .help("the pack declares no `evidence { … }`"),
            );
            return None;
        };
        for (i, name) in l.list.iter().enumerate() {
            let fields = match self.schema.shapes.get(shape as usize) {
                Some(Shape::Object(fields)) => fields,
                _ => {
                    let before: Vec<&str> =
                        l.list.iter().take(i).map(|n| n.name.as_str()).collect();
                    self.error(
                        RawDiagnostic::new(
                            Code::E219,
                            name.span.0,
                            format!(
                                "`{}` is not an object, so it has no field `{}`",
                                before.join("."),
                                name.name
                            ),
                        )
                        .help("labels are read from a list of objects outside any other list"),
                    );
                    return None;
                }
            };
            let Some(&field) = fields.get(&name.name) else {
                let help = did_you_mean(&name.name, fields.keys().map(String::as_str));
                self.error(
                    RawDiagnostic::new(
                        Code::E219,
                        name.span.0,
                        format!("`{dotted}` is not a declared evidence list"),
                    )
                    .label("not declared in the evidence")
                    .maybe_help(help),
                );
                return None;
            };
            shape = field;
        }
        let item = match self.schema.shapes.get(shape as usize) {
            Some(Shape::List(item)) => *item,
            _ => {
                self.error(
                    RawDiagnostic::new(Code::E219, list_span, format!("`{dotted}` is not a list"))
                        .label("not a list")
                        .help(
                            "labels are read from a list whose items have a key, such as `sites`",
                        ),
                );
                return None;
            }
        };
        let Some(Shape::Object(fields)) = self.schema.shapes.get(item as usize) else {
            self.error(
                RawDiagnostic::new(
                    Code::E219,
                    list_span,
                    format!("the items of `{dotted}` are not objects"),
                )
                .label("a list of values")
                .help("labels are read from a list whose items have a key, such as `sites`"),
            );
            return None;
        };
        let fields = fields.clone();
        let mut ok = true;
        let is_key = self
            .schema
            .keys
            .get(&item)
            .is_some_and(|keys| keys.iter().any(|k| **k == *l.key.name));
        if !fields.contains_key(&l.key.name) {
            let help = did_you_mean(&l.key.name, fields.keys().map(String::as_str));
            self.error(
                RawDiagnostic::new(
                    Code::E220,
                    l.key.span.0,
                    format!("the items of `{dotted}` have no field `{}`", l.key.name),
                )
                .label("not declared in the evidence")
                .maybe_help(help),
            );
            ok = false;
        } else if !is_key {
            self.error(
                RawDiagnostic::new(
                    Code::E220,
                    l.key.span.0,
                    format!("`{}` is not a key of the items of `{dotted}`", l.key.name),
                )
                .label("not a key")
                .help(format!(
                    "findings name their subject by keys only: declare it `key {}: …`",
                    l.key.name
                )),
            );
            ok = false;
        }
        let mut out = Vec::with_capacity(l.fields.len());
        for (i, (name, field)) in l.fields.iter().enumerate() {
            if l.fields.iter().take(i).any(|(n, _)| n.name == name.name) {
                self.error(
                    RawDiagnostic::new(
                        Code::E205,
                        name.span.0,
                        format!("the label `{}` is given twice", name.name),
                    )
                    .label("given twice")
                    .help("give each label once"),
                );
                ok = false;
                continue;
            }
            let Some(&shape) = fields.get(&field.name) else {
                let help = did_you_mean(&field.name, fields.keys().map(String::as_str));
                self.error(
                    RawDiagnostic::new(
                        Code::E220,
                        field.span.0,
                        format!("the items of `{dotted}` have no field `{}`", field.name),
                    )
                    .label("not declared in the evidence")
                    .maybe_help(help),
                );
                ok = false;
                continue;
            };
            let ty = self.shape_type(shape);
            let scalar = matches!(
                ty,
                Type::Any | Type::Bool | Type::Number | Type::String | Type::Date
            );
            if !scalar {
                self.error(
                    RawDiagnostic::new(
                        Code::E309,
                        field.span.0,
                        format!(
                            "the label `{}` reads `{}`, which is not a single value",
                            name.name, field.name
                        ),
                    )
                    .label("not a text, number, date or bool")
                    .help("a label is a text, number, date or bool, such as a site's `country`"),
                );
                ok = false;
                continue;
            }
            out.push((
                name.name.clone(),
                field.name.clone(),
                self.expect_for(shape),
            ));
        }
        ok.then(|| LabelsDef {
            key: l.key.name.clone(),
            list: l.list.iter().map(|n| n.name.clone()).collect(),
            fields: out,
        })
    }
}
