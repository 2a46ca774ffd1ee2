//! Syntax errors: pest's expected-rule sets turned into words a rule author reads.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::Rule;
use crate::diagnostic::{Code, RawDiagnostic};
use crate::source::{FileId, Span};

/// The words for what the parser expected at a point.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "the end of the file",
        Rule::file | Rule::item => "`param`, `table` or `clause`",
        Rule::header => "a pack header",
        Rule::import => "`import`",
        Rule::param => "`param`",
        Rule::table => "`table`",
        Rule::clause => "`clause`",
        Rule::ident | Rule::name => "a name",
        Rule::field_name => "a field name",
        Rule::clause_id => "a clause id such as `child_labour.minimum_age`",
        Rule::string | Rule::string_inner => "a string in double quotes",
        Rule::template | Rule::template_literal => "a message in double quotes",
        Rule::template_hole => "a `{placeholder}`",
        Rule::template_format => "a format such as `%`",
        Rule::expr
        | Rule::primary
        | Rule::number
        | Rule::boolean
        | Rule::null
        | Rule::this_clause
        | Rule::if_expr
        | Rule::aggregate
        | Rule::list
        | Rule::paren
        | Rule::prefix
        | Rule::not_op
        | Rule::neg => "an expression",
        Rule::infix
        | Rule::operator_start
        | Rule::or_op
        | Rule::and_op
        | Rule::not_in
        | Rule::in_op
        | Rule::coalesce
        | Rule::eq
        | Rule::ne
        | Rule::le
        | Rule::ge
        | Rule::lt
        | Rule::gt
        | Rule::add
        | Rule::sub
        | Rule::mul
        | Rule::div => "an operator",
        Rule::postfix | Rule::field | Rule::index => "`.field` or `[index]`",
        Rule::unit => "a unit (`days`, `weeks`, `months`, `years`)",
        Rule::severity_level => "`critical`, `major` or `minor`",
        Rule::severity_cases | Rule::severity_case => "a severity case (`major when …`)",
        Rule::severity_otherwise => "`otherwise`",
        Rule::title | Rule::TITLE => "`title`",
        Rule::text | Rule::message_text => "a language and a text, such as `en \"…\"`",
        Rule::references | Rule::REFERENCES => "`references`",
        Rule::severity | Rule::SEVERITY => "`severity`",
        Rule::scope | Rule::APPLIES => "`applies when`",
        Rule::examined | Rule::EXAMINED => "`examined when`",
        Rule::named | Rule::NAMED => "`named`",
        Rule::basis | Rule::BASIS => "`basis`",
        Rule::severe | Rule::SEVERE => "`severe`",
        Rule::expected | Rule::EXPECTED => "`expected`",
        Rule::remediation_link | Rule::AGREED | Rule::PLAN => "`from`, `agreed` or `plan`",
        Rule::remediation | Rule::REMEDIATION => "`remediation`",
        Rule::remedied | Rule::REMEDIED => "`remedied when`",
        Rule::deadline | Rule::WITHIN | Rule::DUE => "`within` or `due`",
        Rule::stmt
        | Rule::let_stmt
        | Rule::for_stmt
        | Rule::require_stmt
        | Rule::insufficient_stmt => "`let`, `for each`, `require` or `insufficient unless`",
        Rule::INSUFFICIENT | Rule::UNLESS => "`insufficient unless`",
        Rule::LET => "`let`",
        Rule::function => "a function",
        Rule::FOR => "`for each`",
        Rule::REQUIRE => "`require`",
        Rule::EACH => "`each`",
        Rule::binding => "a binding such as `site in sites`",
        Rule::message | Rule::MESSAGE => "`message`",
        Rule::END => "`end`",
        Rule::IN => "`in`",
        Rule::WHERE => "`where`",
        Rule::WHEN => "`when`",
        Rule::OTHERWISE => "`otherwise`",
        Rule::FROM => "`from`",
        Rule::THEN => "`then`",
        Rule::ELSE => "`else`",
        Rule::IF => "`if`",
        Rule::edition | Rule::EDITION => "`edition`",
        Rule::languages | Rule::LANGUAGES => "`languages`",
        Rule::as_of_source | Rule::AS_OF => "`as_of from`",
        Rule::subject | Rule::SUBJECT | Rule::subject_field => "`subject`",
        Rule::labels | Rule::LABELS => "`labels`",
        Rule::label_list => "an evidence list such as `supply_chain.sites`",
        Rule::label_field => "a label such as `country` or `name from legal_name`",
        Rule::source | Rule::SOURCE => "`source`",
        Rule::table_default | Rule::DEFAULT => "`default`",
        Rule::table_entry => "a table row such as `CN: 16`",
        Rule::PACK => "`pack`",
        Rule::evidence | Rule::EVIDENCE => "`evidence`",
        Rule::shape_object
        | Rule::shape_field
        | Rule::shape_key
        | Rule::KEY
        | Rule::shape_list
        | Rule::shape_scalar
        | Rule::shape_enum => "an evidence shape",
        Rule::field_description | Rule::DESCRIPTION => "`description`",
        Rule::field_document | Rule::DOCUMENT => "`document`",
        Rule::field_filled_by | Rule::FILLED => "`filled by`",
        Rule::BY => "`by`",
        Rule::filler => "`buyer` or `auditor`",
        Rule::collection | Rule::COLLECTION => "`collection`",
        Rule::insufficient_when_empty | Rule::EMPTY => "`insufficient when empty`",
        Rule::IMPORT => "`import`",
        Rule::PARAM => "`param`",
        Rule::TABLE => "`table`",
        Rule::CLAUSE => "`clause`",
        Rule::aggregate_name => "an aggregate",
        Rule::escape => "an escape such as `\\n`",
        _ => return None,
    })
}

/// Whether a word is reserved by the grammar (and so cannot name anything).
fn is_reserved(word: &str) -> bool {
    use pest::Parser as _;
    super::ConductParser::parse(Rule::keyword, word)
        .is_ok_and(|mut p| p.next().is_some_and(|k| k.as_str() == word))
}

/// Shows the text at `offset` the way a person points at it: a word, a symbol or the end.
fn found_at(text: &str, offset: usize) -> (String, usize) {
    let rest = text.get(offset..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return ("the end of the file".into(), 0);
    };
    if first == '\n' || first == '\r' {
        return ("the end of the line".into(), 1);
    }
    let len = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    let token: String = rest.get(..len).unwrap_or("").chars().take(40).collect();
    (format!("`{token}`"), len.max(1))
}

/// Converts a pest error into a syntax diagnostic (E101).
pub(super) fn syntax_error(file: FileId, text: &str, err: &Error<Rule>) -> RawDiagnostic {
    let offset = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    // At the end of a line or file, point just after the last token instead.
    let rest_of_line = text
        .get(offset..)
        .map_or("", |r| r.split('\n').next().unwrap_or(""));
    let at_end = rest_of_line.trim().is_empty();
    let at_eof = text.get(offset..).is_none_or(|r| r.trim().is_empty());
    let offset = if at_end {
        text.get(..offset)
            .map_or(offset, |before| before.trim_end().len())
    } else {
        offset
    };
    let (found, len) = match (at_end, at_eof) {
        (_, true) => ("the end of the file".to_string(), 1),
        (true, false) => ("the end of the line".to_string(), 1),
        _ => found_at(text, offset),
    };
    let span = Span::new(file, offset, offset + len);
    // An opening quote with no closing one on its line.
    if text.get(offset..).is_some_and(|r| r.starts_with('"')) {
        let line = text
            .get(offset + 1..)
            .map_or("", |r| r.split('\n').next().unwrap_or(""));
        let unescaped_quote = line
            .char_indices()
            .any(|(i, c)| c == '"' && !line.get(..i).is_some_and(|b| b.ends_with('\\')));
        if !unescaped_quote {
            return RawDiagnostic::new(Code::E101, span, "this string is not closed")
                .label("opens here")
                .help("a string must close with `\"` on the line where it opens");
        }
    }
    let message = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut words: Vec<&str> = positives.iter().filter_map(|r| describe(*r)).collect();
            words.sort_unstable();
            words.dedup();
            if words.contains(&"an expression") {
                words.retain(|w| {
                    !matches!(
                        *w,
                        "`if`" | "a name" | "a string in double quotes" | "an aggregate"
                    )
                });
            }
            if words.is_empty() {
                format!("unexpected {found}")
            } else {
                let list = match words.as_slice() {
                    [one] => (*one).to_string(),
                    [init @ .., last] => format!("{} or {last}", init.join(", ")),
                    [] => String::new(),
                };
                let word = found.trim_matches('`');
                if words.contains(&"a name") && is_reserved(word) {
                    format!("`{word}` is a reserved word and cannot be used as a name")
                } else {
                    format!("expected {list}, found {found}")
                }
            }
        }
        ErrorVariant::CustomError { message } => message.clone(),
    };
    RawDiagnostic::new(Code::E101, span, message).label("here")
}
