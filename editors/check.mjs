// Tokenizes a rule file with the TextMate grammar, the way VS Code does, and checks that a few
// tokens get the scopes they should. Not part of the Rust tests or CI; needs
// `npm install --no-save vscode-textmate vscode-oniguruma` in this folder.
//
//   node editors/check.mjs [file.conduct]   (default: rules/regions/child_labour.conduct)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const here = dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] ?? join(here, "..", "rules", "regions", "child_labour.conduct");

const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
await oniguruma.loadWASM(wasm);
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  loadGrammar: async (scopeName) =>
    scopeName === "source.conduct"
      ? vsctm.parseRawGrammar(readFileSync(join(here, "conduct.tmLanguage.json"), "utf8"), "conduct.tmLanguage.json")
      : null,
});
const grammar = await registry.loadGrammar("source.conduct");
if (!grammar) throw new Error("the grammar did not load");

// Every token of the file: its text, its line and its scopes (innermost last).
const tokens = [];
let stack = vsctm.INITIAL;
readFileSync(file, "utf8").split(/\r?\n/).forEach((line, i) => {
  const result = grammar.tokenizeLine(line, stack);
  for (const t of result.tokens) {
    tokens.push({ line: i + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
  }
  stack = result.ruleStack;
});

const counts = {};
for (const t of tokens) {
  const inner = t.scopes[t.scopes.length - 1];
  const family = inner.split(".").slice(0, 2).join(".");
  counts[family] = (counts[family] ?? 0) + 1;
}

let failures = 0;
// `text` must have a token whose innermost scope starts with `scope` (and, when given, whose
// scopes include `within`); `not` is a scope prefix no token with that text may have.
function expect(text, scope, { within, not } = {}) {
  const hits = tokens.filter((t) => t.text.trim() === text);
  const ok = hits.some(
    (t) => t.scopes[t.scopes.length - 1].startsWith(scope) && (!within || t.scopes.some((s) => s.startsWith(within))),
  );
  const bad = not ? hits.filter((t) => t.scopes.some((s) => s.startsWith(not))) : [];
  const status = ok && bad.length === 0 ? "ok  " : "FAIL";
  if (status === "FAIL") failures += 1;
  const seen = hits.slice(0, 1).map((t) => `line ${t.line}: ${t.scopes.join(" ")}`);
  console.log(`${status} ${JSON.stringify(text)} -> ${scope}${within ? ` in ${within}` : ""}  [${seen}]`);
}

// Checks on any file: no token is marked invalid, and every reserved word of conduct.pest
// (outside strings, comments and `.field` names) gets a keyword or constant scope.
const pest = readFileSync(join(here, "..", "grammar", "conduct.pest"), "utf8");
const reserved = new Set([
  ...(pest.match(/^keyword = @\{[\s\S]*?^\}/m)?.[0].match(/"[a-z_]+"/g) ?? []),
  ...[...pest.matchAll(/^\w+ = @\{ ("[a-z_]+") ~ !ident_char \}$/gm)].map((m) => m[1]),
].map((w) => w.slice(1, -1)));
if (reserved.size < 40) throw new Error(`only ${reserved.size} reserved words found in conduct.pest`);
for (const t of tokens) {
  const inner = t.scopes[t.scopes.length - 1];
  if (t.scopes.some((s) => s.startsWith("invalid."))) {
    failures += 1;
    console.log(`FAIL line ${t.line}: ${JSON.stringify(t.text)} is ${inner}`);
  }
  const word = t.text.trim();
  const exempt =
    t.scopes.some((s) => /^(string|comment)\./.test(s)) ||
    inner.startsWith("variable.other.property") ||
    (word === "as_of" && inner.startsWith("variable.language")); // a name in expressions
  if (reserved.has(word) && !exempt && !/^(keyword|constant\.language)\./.test(inner)) {
    failures += 1;
    console.log(`FAIL line ${t.line}: reserved word ${JSON.stringify(word)} is ${inner}`);
  }
}
console.log(`checked ${reserved.size} reserved words and invalid tokens in ${tokens.length} tokens`);

// Checks of particular tokens of the default file.
if (process.argv[2] === undefined) {
expect("clause", "keyword.other.declaration.conduct");
expect("child_labour.minimum_age", "entity.name.function.clause.conduct");
expect("import", "keyword.other.declaration.conduct");
expect("title", "keyword.other.metadata.conduct");
expect("severity", "keyword.other.metadata.conduct");
expect("critical", "constant.language.severity.conduct");
expect("major", "constant.language.severity.conduct");
expect("within", "keyword.other.metadata.conduct");
expect("14", "constant.numeric.decimal.conduct");
expect("days", "keyword.other.unit.conduct");
expect("insufficient", "keyword.control.conduct");
expect("unless", "keyword.control.conduct");
expect("for", "keyword.control.conduct");
expect("each", "keyword.control.conduct");
expect("where", "keyword.control.conduct");
expect("end", "keyword.control.conduct");
expect("require", "keyword.control.conduct");
expect("message", "keyword.other.metadata.conduct");
expect("remedied", "keyword.other.metadata.conduct");
expect("let", "keyword.other.declaration.conduct");
expect("and", "keyword.operator.logical.conduct");
expect("or", "keyword.operator.logical.conduct");
expect("true", "constant.language.boolean.conduct");
expect("??", "keyword.operator.coalesce.conduct");
expect(">=", "keyword.operator.comparison.conduct");
expect("max", "support.function.aggregate.conduct");
expect("none", "support.function.aggregate.conduct");
expect("age", "support.function.builtin.conduct");
expect("length", "support.function.builtin.conduct");
expect("exists", "support.function.builtin.conduct");
expect("en", "constant.other.language-tag.conduct");
expect("sv", "constant.other.language-tag.conduct");
expect("ILO C138 art. 2", "string.quoted.double.conduct");
expect("Age verification", "string.quoted.double.conduct");
expect("#", "punctuation.definition.comment.conduct", { within: "comment.line.number-sign.conduct" });
expect("Choice: testimony of underage workers blocks compliance unless every sampled age is verified.", "comment.line.number-sign.conduct");
expect("{", "punctuation.section.embedded.begin.conduct", { within: "string.quoted.double.template.conduct" });
expect("worker_ref", "variable.other.property.conduct", { within: "meta.embedded.expression.conduct" });
expect("%", "storage.modifier.format.conduct", { within: "meta.embedded.expression.conduct" });
expect("Worker", "string.quoted.double.template.conduct");
expect("actual", "variable.language.conduct", { within: "meta.embedded.expression.conduct" });
expect("as_of", "variable.language.conduct", { not: "string" });
}

console.log(`\n${tokens.length} tokens; innermost scope families:`);
for (const [family, n] of Object.entries(counts).sort((a, b) => b[1] - a[1])) console.log(`  ${family}: ${n}`);
if (failures > 0) {
  console.log(`\n${failures} check(s) failed`);
  process.exit(1);
}
console.log("\nall checks passed");
