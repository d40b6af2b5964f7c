//! The defaults of a Stainless client class, read from its constructor and auth methods:
//!
//! ```js
//! class OpenAI {
//!     constructor({ baseURL = readEnv('OPENAI_BASE_URL'), apiKey = readEnv('OPENAI_API_KEY') ?? null, ...opts } = {}) {
//!         // or: const { baseURL = provider ? null : (0, env_1.readEnv)('OPENAI_BASE_URL'), ... } = clientOptions;
//!         const options = { ...opts, baseURL: baseURL || `https://api.openai.com/v1` };
//!     }
//!     async bearerAuth(opts) { return buildHeaders([{ Authorization: `Bearer ${this.apiKey}` }]); }
//! }
//! ```
//!
//! Nothing is assumed about the vendor: the variable names, the URL and the schemes all come
//! from this code. A class without a base URL default is not a client class.

use std::collections::BTreeMap;

use swc_ecma_ast::*;

use super::modules::{FileCx, prop_name, str_value, unwrap_callee, unwrap_parens};
use crate::ir::call::{AuthScheme, ClientDefaults};

pub(crate) fn client_defaults(f: &FileCx<'_>) -> Option<ClientDefaults> {
    let stmts: Vec<&Stmt> = match f.program {
        Program::Script(s) => s.body.iter().collect(),
        Program::Module(m) => m.body.iter().filter_map(|i| i.as_stmt()).collect(),
    };
    stmts.into_iter().find_map(|s| match s {
        Stmt::Decl(Decl::Class(c)) => class_defaults(c.ident.sym.as_str(), &c.class),
        _ => None,
    })
}

fn class_defaults(name: &str, class: &Class) -> Option<ClientDefaults> {
    let ctor = class.body.iter().find_map(|m| match m {
        ClassMember::Constructor(c) => c.body.as_ref(),
        _ => None,
    })?;
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    let mut base_url = None;
    let ctor_params = class.body.iter().find_map(|m| match m {
        ClassMember::Constructor(c) => Some(&c.params),
        _ => None,
    });
    for p in ctor_params.into_iter().flatten() {
        if let ParamOrTsParamProp::Param(p) = p {
            env_defaults(&p.pat, &mut env);
        }
    }
    for s in &ctor.stmts {
        let Stmt::Decl(Decl::Var(v)) = s else { continue };
        for d in &v.decls {
            env_defaults(&d.name, &mut env);
            if let Some(Expr::Object(o)) = d.init.as_deref().map(unwrap_parens) {
                for p in &o.props {
                    if let PropOrSpread::Prop(p) = p
                        && let Prop::KeyValue(kv) = &**p
                        && prop_name(&kv.key).as_deref() == Some("baseURL")
                    {
                        base_url = base_url.or_else(|| default_url(&kv.value));
                    }
                }
            }
        }
    }
    let base_url = base_url?;
    let schemes = class
        .body
        .iter()
        .filter_map(|m| match m {
            ClassMember::Method(m) if !m.is_static => {
                let option = m.function.body.as_ref().and_then(|b| b.stmts.iter().find_map(bearer_in_stmt))?;
                Some(AuthScheme { name: prop_name(&m.key)?, env: env.get(&option).cloned(), option })
            }
            _ => None,
        })
        .collect();
    Some(ClientDefaults { class: name.to_string(), base_url, base_url_env: env.get("baseURL").cloned(), schemes })
}

/// `{ apiKey = readEnv('OPENAI_API_KEY') ?? null, ... }` (a parameter or a `const` pattern, also
/// behind `= {}`) -> `apiKey` -> `OPENAI_API_KEY`.
fn env_defaults(pat: &Pat, out: &mut BTreeMap<String, String>) {
    let o = match pat {
        Pat::Object(o) => o,
        Pat::Assign(a) => return env_defaults(&a.left, out),
        _ => return,
    };
    for p in &o.props {
        if let ObjectPatProp::Assign(a) = p
            && let Some(v) = &a.value
            && let Some(var) = read_env(v)
        {
            out.insert(a.key.sym.to_string(), var);
        }
    }
}

/// The variable named by a `readEnv('X')` call inside `e` (through `?:`, `??`, `||`).
fn read_env(e: &Expr) -> Option<String> {
    match unwrap_parens(e) {
        Expr::Call(c) => {
            let Callee::Expr(callee) = &c.callee else { return None };
            let named = match unwrap_callee(callee) {
                Expr::Ident(i) => i.sym == "readEnv",
                Expr::Member(MemberExpr { prop: MemberProp::Ident(p), .. }) => p.sym == "readEnv",
                _ => false,
            };
            match (named, c.args.as_slice()) {
                (true, [arg]) => match unwrap_parens(&arg.expr) {
                    Expr::Lit(Lit::Str(s)) => str_value(s),
                    _ => None,
                },
                _ => None,
            }
        }
        Expr::Cond(c) => read_env(&c.cons).or_else(|| read_env(&c.alt)),
        Expr::Bin(b) => read_env(&b.left).or_else(|| read_env(&b.right)),
        _ => None,
    }
}

/// `baseURL || 'https://...'` anywhere inside `e` -> the URL.
fn default_url(e: &Expr) -> Option<String> {
    match unwrap_parens(e) {
        Expr::Bin(b) if b.op == BinaryOp::LogicalOr && matches!(unwrap_parens(&b.left), Expr::Ident(i) if i.sym == "baseURL") => {
            match unwrap_parens(&b.right) {
                Expr::Lit(Lit::Str(s)) => str_value(s),
                Expr::Tpl(t) if t.exprs.is_empty() => t.quasis.first()?.cooked.as_ref()?.as_str().map(str::to_string),
                _ => None,
            }
        }
        Expr::Bin(b) => default_url(&b.left).or_else(|| default_url(&b.right)),
        Expr::Cond(c) => default_url(&c.cons).or_else(|| default_url(&c.alt)),
        _ => None,
    }
}

/// The `this.<option>` of a `Bearer ${this.<option>}` header in a statement of an auth method.
fn bearer_in_stmt(s: &Stmt) -> Option<String> {
    match s {
        Stmt::Return(ReturnStmt { arg: Some(e), .. }) => bearer_in_expr(e),
        Stmt::Expr(e) => bearer_in_expr(&e.expr),
        Stmt::Block(b) => b.stmts.iter().find_map(bearer_in_stmt),
        // The `if` branches serve other sources of the token (workload identity): the
        // option is the one used when they do not apply.
        Stmt::If(_) => None,
        _ => None,
    }
}

fn bearer_in_expr(e: &Expr) -> Option<String> {
    match unwrap_parens(e) {
        Expr::Await(a) => bearer_in_expr(&a.arg),
        Expr::Call(c) => c.args.iter().find_map(|a| bearer_in_expr(&a.expr)),
        Expr::Array(a) => a.elems.iter().flatten().find_map(|el| bearer_in_expr(&el.expr)),
        Expr::Object(o) => o.props.iter().find_map(|p| match p {
            PropOrSpread::Prop(p) => match &**p {
                Prop::KeyValue(kv) if prop_name(&kv.key).as_deref() == Some("Authorization") => bearer_template(&kv.value),
                _ => None,
            },
            PropOrSpread::Spread(_) => None,
        }),
        _ => None,
    }
}

/// `` `Bearer ${this.apiKey}` `` -> `apiKey`.
fn bearer_template(e: &Expr) -> Option<String> {
    let Expr::Tpl(t) = unwrap_parens(e) else { return None };
    let ([head, tail], [value]) = (t.quasis.as_slice(), t.exprs.as_slice()) else { return None };
    let head = head.cooked.as_ref()?.as_str()?;
    if head != "Bearer " || !tail.cooked.as_ref()?.as_str()?.is_empty() {
        return None;
    }
    let Expr::Member(m) = unwrap_parens(value) else { return None };
    match (unwrap_parens(&m.obj), &m.prop) {
        (Expr::This(_), MemberProp::Ident(p)) => Some(p.sym.to_string()),
        _ => None,
    }
}
