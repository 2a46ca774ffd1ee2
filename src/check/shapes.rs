//! Checking, the evidence declaration: `evidence { … }` → the pack's [`Shape`]s, and what
//! reading a field of each shape yields (its [`Type`]) and checks (its [`Expect`]).

use indexmap::IndexMap;

use super::Checker;
use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic};
use crate::program::{Expect, Expr, ExprKind, Shape, ShapeId, Type};

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
        let id = self.shape_object(e);
        self.schema.root = Some(id);
    }

    fn add_shape(&mut self, s: Shape) -> ShapeId {
        self.schema.shapes.push(s);
        ShapeId::try_from(self.schema.shapes.len() - 1).unwrap_or(0)
    }

    fn shape_object(&mut self, o: &ast::ShapeObject) -> ShapeId {
        let mut fields = IndexMap::new();
        for (name, shape) in &o.fields {
            let id = self.shape(shape);
            if fields.insert(name.name.clone(), id).is_some() {
                self.error(RawDiagnostic::new(
                    Code::E205,
                    name.span.0,
                    format!("field `{}` is declared twice", name.name),
                ));
            }
        }
        self.add_shape(Shape::Object(fields))
    }

    fn shape(&mut self, s: &ast::Shape) -> ShapeId {
        match s {
            ast::Shape::Object(o) => self.shape_object(o),
            ast::Shape::List(inner) => {
                let id = self.shape(inner);
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
