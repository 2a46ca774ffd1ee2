//! Syntax trees of `tests/cases/parse/*.conduct`, as snapshots (feature `unstable-ast`).
#![cfg(feature = "unstable-ast")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[test]
fn parse_cases() {
    insta::glob!("cases/parse/*.conduct", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let ast = conduct::tools::unstable::parse("case.conduct", &text)
            .unwrap_or_else(|e| panic!("{e:?}"));
        insta::assert_debug_snapshot!(ast);
    });
}

#[test]
fn precedence_follows_the_reference() {
    use conduct::tools::unstable::ast::{BinaryOp, ExprKind, Item, Stmt};
    let file = conduct::tools::unstable::parse(
        "p.conduct",
        "clause a.b\n  title en \"T\"\n  require not a == 1 or b ?? 2 + 3 * 4 > 5 and c\n",
    )
    .unwrap();
    let Item::Clause(c) = &file.items[0] else {
        panic!()
    };
    let Stmt::Require(r) = &c.body[0] else {
        panic!()
    };
    // or( not(a == 1), and( (b ?? (2 + (3 * 4))) > 5, c ) )
    let ExprKind::Binary(BinaryOp::Or, l, r) = &r.condition.kind else {
        panic!("{:?}", r.condition)
    };
    assert!(matches!(
        l.kind,
        ExprKind::Unary(conduct::tools::unstable::ast::UnaryOp::Not, _)
    ));
    let ExprKind::Binary(BinaryOp::And, gt, _) = &r.kind else {
        panic!()
    };
    let ExprKind::Binary(BinaryOp::Gt, coalesce, _) = &gt.kind else {
        panic!()
    };
    let ExprKind::Binary(BinaryOp::Coalesce, _, sum) = &coalesce.kind else {
        panic!("{coalesce:?}")
    };
    let ExprKind::Binary(BinaryOp::Add, _, product) = &sum.kind else {
        panic!()
    };
    assert!(matches!(
        product.kind,
        ExprKind::Binary(BinaryOp::Mul, _, _)
    ));
}
