//! How faithful the output is, measured: of all struct fields, how many have a real Rust type,
//! how many are `serde_json::Value` because the declaration says `any`/`unknown`, and how many
//! fell back to `Value`, by cause. The summary line prints it; CI can hold it to zero with
//! `--deny-fallbacks`.

use std::collections::BTreeMap;

use crate::ir::space::{Space, Ty, TypeKind};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fidelity {
    /// Every field of every emitted struct.
    pub fields: usize,
    /// Fields holding JSON because they were declared `any`, `unknown` or `object`.
    pub declared_json: usize,
    /// Fields holding JSON because of a fallback, by cause (`external package`, ...).
    pub fallbacks: BTreeMap<String, usize>,
}

impl Fidelity {
    pub fn of(space: &Space) -> Fidelity {
        let mut out = Fidelity::default();
        for t in &space.types {
            let TypeKind::Struct(s) = &t.kind else { continue };
            for f in &s.fields {
                out.fields += 1;
                match &f.fallback {
                    Some(cause) => *out.fallbacks.entry(cause.clone()).or_default() += 1,
                    None if holds_json_through_aliases(space, &f.ty, 0) => out.declared_json += 1,
                    None => {}
                }
            }
        }
        out
    }

    /// Fields that fell back to `Value`.
    pub fn fallback_fields(&self) -> usize {
        self.fallbacks.values().sum()
    }

    /// Fields with a real Rust type (neither declared JSON nor a fallback).
    pub fn typed(&self) -> usize {
        self.fields - self.declared_json - self.fallback_fields()
    }

    /// The share of fallback fields among the fields not declared `any`/`unknown`.
    pub fn fallback_share(&self) -> f64 {
        let considered = self.fields - self.declared_json;
        if considered == 0 { 0.0 } else { self.fallback_fields() as f64 / considered as f64 }
    }
}

impl std::fmt::Display for Fidelity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} of {} fields typed, {} declared any/unknown, {} `Value` ({:.2}%)", self.typed(), self.fields, self.declared_json, self.fallback_fields(), 100.0 * self.fallback_share())?;
        if !self.fallbacks.is_empty() {
            let causes: Vec<String> = self.fallbacks.iter().map(|(c, n)| format!("{c}: {n}")).collect();
            write!(f, ": {}", causes.join(", "))?;
        }
        Ok(())
    }
}

/// Whether a field of this type holds bare JSON (directly, or as the items of a list or map).
pub(crate) fn holds_json(ty: &Ty) -> bool {
    match ty {
        Ty::Json => true,
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => holds_json(inner),
        _ => false,
    }
}

/// [`holds_json`], also through type aliases (`type Anything = unknown`, then `x: Anything`).
fn holds_json_through_aliases(space: &Space, ty: &Ty, depth: usize) -> bool {
    match ty {
        Ty::Named(id) if depth < 64 => match &space.ty(*id).kind {
            TypeKind::Alias(inner) => holds_json_through_aliases(space, inner, depth + 1),
            _ => false,
        },
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => holds_json_through_aliases(space, inner, depth),
        other => holds_json(other),
    }
}
