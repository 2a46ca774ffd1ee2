//! Checking, the evidence declaration: `evidence { … }` → the pack's [`Shape`]s, the key
//! fields of each object (`key site_id: string`; E308 for a key that is not a scalar), and
//! what reading a field of each shape yields (its [`Type`]) and checks (its [`Expect`]), and
//! each field's descriptions, the document that proves it and who fills it in ([`FieldInfo`];
//! a `filled by` holds for the fields of the objects inside).

use std::sync::Arc;

use indexmap::IndexMap;

use super::Checker;
use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic};
use crate::program::{Expect, Expr, ExprKind, FieldInfo, FilledBy, Shape, ShapeId, Type};

impl Checker<'_> {
    /// The `evidence { … }` declaration; E205 for a second one.
    pub(super) fn evidence(&mut self, e: &ast::ShapeObject) {
        if self.schema.root.is_some() {
            self.error(
                RawDiagnostic::new(Code::E205, e.span.0, "the evidence is declared twice")
                    .help("declare the evidence once, in one file of the pack"),
            );
            return;
        }
        let id = self.shape_object(e, None);
        self.schema.root = Some(id);
    }

    fn add_shape(&mut self, s: Shape) -> ShapeId {
        self.schema.shapes.push(s);
        ShapeId::try_from(self.schema.shapes.len() - 1).unwrap_or(0)
    }

    /// An object's shape; `filler` is who fills in the object around it, if not the supplier.
    fn shape_object(&mut self, o: &ast::ShapeObject, filler: Option<FilledBy>) -> ShapeId {
        let mut fields = IndexMap::new();
        let mut keys: Vec<Arc<str>> = Vec::new();
        let mut infos = Vec::new();
        for (i, (name, shape)) in o.fields.iter().enumerate() {
            let info = self.field_info(o.details(i), filler);
            let id = self.shape(shape, info.filled_by);
            if fields.insert(name.name.clone(), id).is_some() {
                self.error(RawDiagnostic::new(
                    Code::E205,
                    name.span.0,
                    format!("field `{}` is declared twice", name.name),
                ));
                continue;
            } else if o.is_key(i) && self.key_shape(name, shape) {
                keys.push(Arc::from(name.name.as_str()));
            }
            if !info.descriptions.is_empty()
                || !info.documents.is_empty()
                || info.filled_by.is_some()
            {
                infos.push((name.name.clone(), info));
            }
        }
        let id = self.add_shape(Shape::Object(fields));
        if !keys.is_empty() {
            self.schema.keys.insert(id, Arc::from(keys));
        }
        for (name, info) in infos {
            self.schema.field_info.insert((id, name), info);
        }
        id
    }

    /// A field's descriptions and documents (E207 for a language the pack does not declare, or
    /// one given twice) and who fills it in (its own `filled by`, else the object's).
    fn field_info(&mut self, d: Option<&ast::FieldDetails>, filler: Option<FilledBy>) -> FieldInfo {
        let mut info = FieldInfo {
            descriptions: Vec::new(),
            documents: Vec::new(),
            filled_by: filler,
        };
        let Some(d) = d else {
            return info;
        };
        for t in &d.descriptions {
            let seen: Vec<String> = info.descriptions.iter().map(|(l, _)| l.clone()).collect();
            self.language(&t.lang, &seen);
            info.descriptions
                .push((t.lang.name.clone(), t.text.clone()));
        }
        for t in &d.documents {
            let seen: Vec<String> = info.documents.iter().map(|(l, _)| l.clone()).collect();
            self.language(&t.lang, &seen);
            info.documents.push((t.lang.name.clone(), t.text.clone()));
        }
        match d.filled_by.as_ref().map(|f| f.name.as_str()) {
            Some("buyer") => info.filled_by = Some(FilledBy::Buyer),
            Some("auditor") => info.filled_by = Some(FilledBy::Auditor),
            _ => {}
        }
        info
    }

    /// Whether field `name` of shape `shape` can be a key: a string, number, date, bool or a
    /// text from a fixed set (E308 otherwise; an unknown type name is E304 already).
    fn key_shape(&mut self, name: &ast::Ident, shape: &ast::Shape) -> bool {
        let found = match shape {
            ast::Shape::Enum(_) => return true,
            ast::Shape::Scalar(t) => match t.name.as_str() {
                "string" | "number" | "date" | "bool" => return true,
                "any" | "duration" => t.name.clone(),
                _ => return false,
            },
            ast::Shape::List(_) => "list".to_string(),
            ast::Shape::Object(_) => "object".to_string(),
        };
        self.error(
            RawDiagnostic::new(
                Code::E308,
                name.span.0,
                format!("key `{}` is not a scalar", name.name),
            )
            .label(format!("declared as {}", article(&found)))
            .help("a key identifies an item by a string, number, date, bool or a text from a fixed set; mark a field of that kind as the key, e.g. `key site_id: string`"),
        );
        false
    }

    /// The key fields of the items of a collection of type `item` (empty unless a declared
    /// object with keys).
    pub(super) fn keys_of(&self, item: &Type) -> Arc<[Arc<str>]> {
        match item {
            Type::Object(id) => self
                .schema
                .keys
                .get(id)
                .cloned()
                .unwrap_or_else(|| Arc::from([])),
            _ => Arc::from([]),
        }
    }

    /// The key fields of every shape, by shape id (for [`crate::program::Program`]).
    pub(super) fn object_keys(&self) -> Vec<Arc<[Arc<str>]>> {
        (0..self.schema.shapes.len())
            .map(|i| self.keys_of(&Type::Object(ShapeId::try_from(i).unwrap_or(0))))
            .collect()
    }

    fn shape(&mut self, s: &ast::Shape, filler: Option<FilledBy>) -> ShapeId {
        match s {
            ast::Shape::Object(o) => self.shape_object(o, filler),
            ast::Shape::List(inner) => {
                let id = self.shape(inner, filler);
                self.add_shape(Shape::List(id))
            }
            ast::Shape::Enum(values) => self.add_shape(Shape::Enum(values.clone())),
            ast::Shape::Scalar(name) => {
                let ty = self.type_from_name(name);
                self.add_shape(Shape::Scalar(ty))
            }
        }
    }

    /// What reading a field of this shape checks.
    pub(super) fn expect_for(&self, id: ShapeId) -> Expect {
        match self.schema.shapes.get(id as usize) {
            Some(Shape::Enum(_)) => Expect::Enum(id),
            Some(Shape::List(item)) => Expect::ListOf(*item),
            _ => Expect::from_type(&self.shape_type(id)),
        }
    }

    /// The allowed texts of an enumerated field, if `e` reads one.
    pub(super) fn enum_values(&self, e: &Expr) -> Option<&[String]> {
        match &e.kind {
            ExprKind::Path {
                expect: Expect::Enum(id) | Expect::ListOf(id),
                ..
            } => match self.schema.shapes.get(*id as usize) {
                Some(Shape::Enum(v)) => Some(v),
                _ => None,
            },
            _ => None,
        }
    }

    /// The type of a value of a declared shape.
    pub(super) fn shape_type(&self, id: ShapeId) -> Type {
        match self.schema.shapes.get(id as usize) {
            Some(Shape::Object(_)) => Type::Object(id),
            Some(Shape::List(inner)) => Type::List(Box::new(self.shape_type(*inner))),
            Some(Shape::Scalar(t)) => t.clone(),
            Some(Shape::Enum(_)) => Type::String,
            None => Type::Any,
        }
    }
}

/// `a list`, `an object`, `an any`: the kind with its article.
fn article(kind: &str) -> String {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {kind}")
    } else {
        format!("a {kind}")
    }
}
