#!/usr/bin/env python3
"""Writes the `evidence { ... }` declaration of rules/regions from the evidence JSON Schema.

Usage: python3 scripts/evidence_shape.py schemas/evidence.schema.json > rules/regions/evidence.conduct
       cargo run --features cli -- fmt rules/regions/evidence.conduct   # the canonical layout
Only the shape is taken (field names, lists, objects, enumerations, scalar types), and the
fields that identify the items of each list (KEYS below) are marked `key`: they name a finding's
subject (a site, a request, an audit finding) or item (a worker, a week) in the report.
A field's `x-description-en` and `x-description-sv` become its `description en "…" sv "…"` (the
words a supplier reads in evidence requests; the schema's own `description` is for developers
and names the clauses that read the field), `x-document-en` and `x-document-sv` become its
`document en "…" sv "…"` (the document a supplier sends to prove the field and the fields inside
it: "Attach: …" in evidence requests and the questionnaire), and `x-filled-by` (`buyer` or
`auditor`) becomes `filled by …`: a field the supplier does not fill in.
"""
import json
import sys

schema = json.load(open(sys.argv[1]))
defs = schema.get("$defs", {})


def resolve(node):
    while "$ref" in node:
        node = {**defs[node["$ref"].split("/")[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def kind(node):
    node = resolve(node)
    for key in ("anyOf", "oneOf"):
        if key in node:
            options = [resolve(o) for o in node[key] if resolve(o).get("type") != "null"]
            if len(options) == 1:
                return kind({**options[0]})
            return "any"
    t = node.get("type", "any")
    if isinstance(t, list):
        t = [x for x in t if x != "null"]
        t = t[0] if len(t) == 1 else "any"
    if t == "object":
        return ("object", node.get("properties", {}))
    if t == "array":
        return ("array", node.get("items", {}))
    if t == "string":
        values = [v for v in node.get("enum", []) if isinstance(v, str)]
        if "const" in node and isinstance(node["const"], str):
            values = [node["const"]]
        if values:
            return " | ".join(json.dumps(v) for v in values)
        return "date" if node.get("format") == "date" else "string"
    if t in ("integer", "number"):
        return "number"
    if t == "boolean":
        return "bool"
    return "any"


# The fields that identify the items of each list, by the list's path.
KEYS = {
    "self_assessment.answers": ["question_id"],
    "self_assessment.additional_requests": ["request_id"],
    "policies": ["policy_id"],
    "responsibilities": ["role"],
    "risk_assessment.prioritised_risks": ["topic"],
    "supply_chain.sites": ["site_id"],
    "supply_chain.disclosure_requests": ["request_id"],
    "severe_deviation_reports": ["deviation_id"],
    "audit_requests": ["request_id"],
    "business_ethics.allegations": ["allegation_id"],
    "business_ethics.intermediaries": ["name"],
    "sites": ["site_id"],
    "sites.workers": ["worker_ref"],
    "sites.hours_records.worker_weeks": ["worker_ref", "week_start"],
    "sites.hours_records.emergencies": ["start"],
    "sites.wage_records": ["worker_ref", "period_start"],
    "sites.wage_records.deductions": ["type"],
    "sites.recruitment": ["worker_ref"],
    "sites.discrimination.findings": ["ground", "area"],
    "sites.environment.substances": ["name"],
    "sites.interviews.reports": ["report_id"],
    "certificates": ["type", "site_id"],
    "audits": ["audit_id"],
    "audits.findings": ["finding_id"],
}
used = set()


def details(node):
    """` description en "…" sv "…" document en "…" sv "…" filled by …`, from the field's `x-`
    annotations."""
    node = resolve(node)
    texts = [(lang, node.get(f"x-description-{lang}")) for lang in ("en", "sv")]
    out = ""
    if any(t for _, t in texts):
        out += " description " + " ".join(f"{lang} {json.dumps(t, ensure_ascii=False)}" for lang, t in texts if t)
    documents = [(lang, node.get(f"x-document-{lang}")) for lang in ("en", "sv")]
    if any(t for _, t in documents):
        out += " document " + " ".join(f"{lang} {json.dumps(t, ensure_ascii=False)}" for lang, t in documents if t)
    if node.get("x-filled-by") in ("buyer", "auditor"):
        out += f" filled by {node['x-filled-by']}"
    elif "x-filled-by" in node:
        sys.exit(f"x-filled-by must be buyer or auditor, found {node['x-filled-by']!r}")
    return out


def render(node, indent, path="", keys=()):
    k = kind(node)
    pad = "  " * indent
    if isinstance(k, tuple) and k[0] == "object":
        if not k[1]:
            return "any"
        lines = ["{"]
        for name, sub in k[1].items():
            mark = "key " if name in keys else ""
            inner = f"{path}.{name}" if path else name
            lines.append(f"{pad}  {mark}{name}: {render(sub, indent + 1, inner)}{details(sub)}")
        lines.append(pad + "}")
        return "\n".join(lines)
    if isinstance(k, tuple) and k[0] == "array":
        if path in KEYS:
            used.add(path)
        return "[" + render(k[1], indent, path, KEYS.get(path, ())) + "]"
    return k


print("# The shape of the evidence document, schema 1.0 (schemas/evidence.schema.json).")
print("# Generated by scripts/evidence_shape.py; the checker rejects paths not declared here,")
print("# and evaluation reports evidence of another type as invalid.")
print()
print("evidence " + render(schema, 0))
unused = set(KEYS) - used
if unused:
    sys.exit(f"KEYS names lists the schema does not have: {sorted(unused)}")
