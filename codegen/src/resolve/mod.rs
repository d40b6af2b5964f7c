//! Stage 3: from per-file declarations and JS routes to one resolved, named [`Space`].
//!
//! Names resolve through each module's own imports ([`scope`]); types are lowered into an arena
//! (`types`); the client tree joins `.d.ts` classes with the routes read from the JS
//! (`clients`); `finish` assigns field names, boxes recursive types, works out which types
//! have a default and, when the options ask for it, merges types of one shape (`dedup`).

mod calls;
mod clients;
mod dedup;
mod finish;
mod graph;
mod modules;
mod pagination;
pub mod names;
pub mod scope;
mod types;

pub use names::DEFAULT_WORDS;
pub use types::{MAX_DECL_CHAIN, MAX_NAME_LEN};

use crate::diag::Diagnostic;
use crate::ir::decl::{DeclKind, DeclModule};
use crate::ir::route::JsModule;
use crate::ir::space::Space;
use crate::options::{Generate, Options};

/// Where the compiled JS of a declaration module lives: maps a module path to a JS file path
/// relative to the package root (`b2b/sso` -> `dist/b2b/sso.js`).
pub trait JsLocator {
    fn js_file(&self, module_path: &str) -> String;
}

impl<F: Fn(&str) -> String> JsLocator for F {
    fn js_file(&self, module_path: &str) -> String {
        self(module_path)
    }
}

/// `entry` is the module path of the declarations' entry point (`index`).
pub fn resolve(modules: &[DeclModule], js: &[JsModule], locate_js: &dyn JsLocator, entry: &str, options: &Options) -> (Space, Vec<Diagnostic>) {
    let graph = scope::Modules::new(modules);
    let mut diags = graph.check_imports();
    let mut words: Vec<String> = DEFAULT_WORDS.iter().map(|s| s.to_string()).collect();
    words.extend(options.words.iter().cloned());
    let namer = names::Namer::new(&words);

    let mut lowerer = types::Lowerer::new(&graph, &namer, options.number);
    lowerer.declare_all(graph.index_of(entry));
    lowerer.lower_all();

    let mut space = Space::default();
    for m in modules {
        for (what, loc) in &m.skipped {
            diags.push(Diagnostic::warning(loc.clone(), what.clone()));
        }
        for d in m.decls.iter().filter(|d| d.exported) {
            let what = match &d.kind {
                DeclKind::Other(what) => format!("exported {what} `{}` has no data meaning and is not emitted", d.name),
                DeclKind::Class(_) if options.generate == Generate::Types => {
                    format!("class `{}` is not emitted: classes become clients only when generating the client", d.name)
                }
                _ => continue,
            };
            diags.push(Diagnostic::warning(d.loc.clone(), what));
        }
    }
    if options.generate == Generate::TypesAndClient {
        let built = clients::build(&graph, js, locate_js, entry, &namer, &mut lowerer);
        space.clients = built.clients;
        space.roots = built.roots;
        space.call_defaults = js.iter().find_map(|m| m.defaults.clone());
        diags.extend(built.diags);
    }
    diags.append(&mut lowerer.diags);
    space.types = std::mem::take(&mut lowerer.types);
    diags.extend(finish::finish(&mut space, modules, &namer, options.dedup_module.as_deref()));
    let mut root_names = options.hand_written.clone();
    root_names.push("runtime".to_string());
    diags.extend(modules::assign(&mut space, modules, &namer, &root_names));
    if let Some(rule) = &options.pagination {
        diags.extend(pagination::detect(&mut space, rule));
    }
    (space, diags)
}
