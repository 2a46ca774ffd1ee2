//! The parse tree that lowering reads: the grammar's visible rules with their byte ranges, in
//! source order, the shape of pest's pairs. Both parsers build it: the hand-written one in
//! [`super::fast`] for files it accepts, and pest (converted by [`Tree::from_pest`]) for the
//! rest and in the tests that hold the two to the same tree.

use super::Rule;

/// One node: a rule's match and where its subtree ends in the node list (pre-order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Node {
    /// The grammar rule.
    pub(super) rule: Rule,
    /// Byte offset of the match.
    pub(super) start: u32,
    /// One past the match's last byte.
    pub(super) end: u32,
    /// The index after this node's last descendant: its next sibling, if it has one.
    pub(super) next: u32,
}

/// A position or node index as stored: files are at most 4 GiB ([`super::parse_tree`]
/// refuses larger ones), so every offset fits.
pub(super) fn at(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A parsed file: its nodes in pre-order.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Tree {
    pub(super) nodes: Vec<Node>,
}

impl Tree {
    /// The tree of pest's pairs (walked through their tokens, without recursion).
    pub(super) fn from_pest(pairs: pest::iterators::Pairs<'_, Rule>) -> Self {
        use pest::Token;
        let mut nodes = Vec::new();
        let mut open = Vec::new();
        for token in pairs.tokens() {
            match token {
                Token::Start { rule, pos } => {
                    open.push(nodes.len());
                    nodes.push(Node {
                        rule,
                        start: at(pos.pos()),
                        end: at(pos.pos()),
                        next: 0,
                    });
                }
                Token::End { pos, .. } => {
                    if let Some(i) = open.pop() {
                        let len = at(nodes.len());
                        if let Some(n) = nodes.get_mut(i) {
                            n.end = at(pos.pos());
                            n.next = len;
                        }
                    }
                }
            }
        }
        Self { nodes }
    }

    /// The top-level pairs (the `file` rule's one pair).
    pub(super) fn pairs<'t>(&'t self, text: &'t str) -> Pairs<'t> {
        Pairs {
            text,
            nodes: &self.nodes,
            at: 0,
            end: self.nodes.len(),
        }
    }
}

/// A node of a [`Tree`] with the text it was parsed from.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pair<'t> {
    text: &'t str,
    nodes: &'t [Node],
    at: usize,
}

impl<'t> Pair<'t> {
    fn node(&self) -> Node {
        self.nodes.get(self.at).copied().unwrap_or(Node {
            rule: Rule::EOI,
            start: 0,
            end: 0,
            next: at(self.at + 1),
        })
    }

    /// The rule that matched.
    pub(super) fn as_rule(&self) -> Rule {
        self.node().rule
    }

    /// The matched text.
    pub(super) fn as_str(&self) -> &'t str {
        let n = self.node();
        self.text
            .get(n.start as usize..n.end as usize)
            .unwrap_or("")
    }

    /// Byte offset of the match.
    pub(super) fn start(&self) -> usize {
        self.node().start as usize
    }

    /// One past the match's last byte.
    pub(super) fn end(&self) -> usize {
        self.node().end as usize
    }

    /// The pair's children, in order.
    pub(super) fn into_inner(self) -> Pairs<'t> {
        Pairs {
            text: self.text,
            nodes: self.nodes,
            at: self.at + 1,
            end: self.node().next as usize,
        }
    }
}

/// Sibling pairs, in order.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pairs<'t> {
    text: &'t str,
    nodes: &'t [Node],
    at: usize,
    end: usize,
}

impl<'t> Iterator for Pairs<'t> {
    type Item = Pair<'t>;

    fn next(&mut self) -> Option<Pair<'t>> {
        if self.at >= self.end {
            return None;
        }
        let pair = Pair {
            text: self.text,
            nodes: self.nodes,
            at: self.at,
        };
        // A node's `next` is always past it; `max` keeps a malformed tree from looping.
        self.at = (pair.node().next as usize).max(self.at + 1);
        Some(pair)
    }
}
