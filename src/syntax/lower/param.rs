//! Lowering a parameter declaration: the `param` pair → [`Param`], with its metadata (titles,
//! bounds, the evidence field that overrides it, its source) in any order, each at most once
//! (E101 when one is given twice; titles may come in several `title` lines).

use crate::syntax::tree::Pair;

use super::{Lower, Res, children};
use crate::ast::{Ident, Param, ParamPath, Text};
use crate::diagnostic::{Code, RawDiagnostic};
use crate::syntax::Rule;

impl Lower {
    pub(super) fn param(&self, pair: Pair<'_>) -> Res<Param> {
        let span = self.span(&pair);
        let mut it = children(pair);
        let (Some(name), Some(ty), Some(default)) = (it.next(), it.next(), it.next()) else {
            return Err(RawDiagnostic::new(
                Code::E101,
                span.0,
                "incomplete parameter",
            ));
        };
        let mut param = Param {
            name: self.ident(&name),
            ty: self.ident(&ty),
            default: self.expr(default, 0)?,
            titles: Vec::new(),
            at_least: None,
            at_most: None,
            overridden_by: None,
            source: None,
            sources: Vec::new(),
            span,
        };
        for p in it {
            let at = self.span(&p);
            match p.as_rule() {
                Rule::title => {
                    for t in children(p) {
                        let mut tt = children(t);
                        if let (Some(lang), Some(text)) = (tt.next(), tt.next()) {
                            param.titles.push(Text {
                                lang: self.ident(&lang),
                                text: Self::string(text),
                            });
                        }
                    }
                }
                Rule::param_bound => {
                    let mut inner = p.into_inner().filter(|q| q.as_rule() != Rule::AT);
                    let (Some(which), Some(e)) = (inner.next(), inner.next()) else {
                        continue;
                    };
                    let (word, slot) = if which.as_rule() == Rule::LEAST {
                        ("at least", &mut param.at_least)
                    } else {
                        ("at most", &mut param.at_most)
                    };
                    if slot.is_some() {
                        return Err(Self::twice(word, at));
                    }
                    *slot = Some(self.expr(e, 0)?);
                }
                Rule::param_overridden => {
                    if param.overridden_by.is_some() {
                        return Err(Self::twice("overridden by", at));
                    }
                    let path = p.into_inner().find(|q| q.as_rule() == Rule::param_path);
                    param.overridden_by = path.map(|path| ParamPath {
                        span: self.span(&path),
                        names: path
                            .into_inner()
                            .map(|n| Ident {
                                name: n.as_str().to_string(),
                                span: self.span(&n),
                            })
                            .collect(),
                    });
                }
                Rule::source => {
                    if param.source.is_some() || !param.sources.is_empty() {
                        return Err(Self::twice("source", at));
                    }
                    (param.source, param.sources) = self.source(p);
                }
                _ => {}
            }
        }
        Ok(param)
    }
}
