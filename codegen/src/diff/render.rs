//! The Markdown form of a diff: a summary table (counts per kind and class), then every
//! breaking and additive change grouped by product, with Rust paths. Doc-only changes are
//! counted, not listed (the JSON lists them).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::diff::{ApiDiff, Change, Class};

pub(crate) fn markdown(diff: &ApiDiff) -> String {
    let mut out = summary(diff);
    for class in [Class::Breaking, Class::Additive] {
        let changes: Vec<&Change> = diff.changes.iter().filter(|c| c.class == class).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {} ({})", heading(class), changes.len());
        let mut by_product: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for c in changes {
            by_product.entry(&c.product).or_default().push(c);
        }
        for (product, changes) in by_product {
            let _ = writeln!(out, "\n#### `{product}`\n");
            for c in changes {
                let _ = writeln!(out, "- {}", line(c));
            }
        }
    }
    if diff.totals.doc_only > 0 {
        let _ = writeln!(out, "\n### Doc-only ({})\n\n{} doc comments changed (listed by `codegen diff --json`).", diff.totals.doc_only, diff.totals.doc_only);
    }
    out
}

pub(crate) fn summary(diff: &ApiDiff) -> String {
    let mut out = format!("## API changes: `{}` → `{}`\n\n", diff.old, diff.new);
    let Some(worst) = diff.worst else {
        out.push_str("No API changes.\n");
        return out;
    };
    let _ = writeln!(out, "Worst change: **{}**.\n", worst.label());
    out.push_str("| change | breaking | additive | doc-only |\n| --- | ---: | ---: | ---: |\n");
    for (kind, counts) in &diff.by_kind {
        let _ = writeln!(out, "| {} | {} | {} | {} |", kind.label(), counts.breaking, counts.additive, counts.doc_only);
    }
    let t = &diff.totals;
    let _ = writeln!(out, "| **total** | **{}** | **{}** | **{}** |", t.breaking, t.additive, t.doc_only);
    out
}

fn heading(class: Class) -> &'static str {
    match class {
        Class::Breaking => "Breaking",
        Class::Additive => "Additive",
        Class::DocOnly => "Doc-only",
    }
}

/// `` `path`: field optional → required (`Option<T>` → `T`; response) — why ``.
fn line(c: &Change) -> String {
    let mut what = c.kind.label().to_string();
    match (&c.old, &c.new) {
        (Some(a), Some(b)) => {
            let _ = write!(what, ": `{a}` → `{b}`");
        }
        (None, Some(b)) => {
            let _ = write!(what, ": `{b}`");
        }
        (Some(a), None) => {
            let _ = write!(what, " (was `{a}`)");
        }
        (None, None) => {}
    }
    let used = c.position.map(|p| match (p.request, p.response) {
        (true, true) => " [request, response]",
        (true, false) => " [request]",
        (false, true) => " [response]",
        (false, false) => " [no operation]",
    });
    format!("`{}`: {what}{} — {}", c.path, used.unwrap_or_default(), c.why)
}
