//! The floor `codegen bench` compares generation with, measured in the same process on the same
//! input and output: swc parsing every declaration and JS file (comments collected, as the
//! pipeline does) plus prettyplease printing every output file. No generator can read the
//! package and print the crate faster with these two libraries, so the total as a multiple of
//! this floor is what the generator's own work costs.

use std::time::Instant;

use npm_sdk_codegen::package::Package;
use swc_common::comments::SingleThreadedComments;
use swc_common::{FileName, SourceMap, sync::Lrc};
use swc_ecma_ast::EsVersion;
use swc_ecma_parser::{EsSyntax, Parser, StringInput, Syntax, TsSyntax, lexer::Lexer};

/// Seconds swc takes to parse every `.d.ts` and JS file of `pkg` (`js`: whether the run reads
/// the JS, as it does when generating the client).
pub fn parse_seconds(pkg: &Package, js: bool) -> f64 {
    let dts = Syntax::Typescript(TsSyntax { dts: true, ..Default::default() });
    let es = Syntax::Es(EsSyntax { allow_return_outside_function: true, ..Default::default() });
    let files = pkg.dts.iter().map(|f| (f, dts)).chain(pkg.js.iter().filter(|_| js).map(|f| (f, es)));
    let start = Instant::now();
    for (file, syntax) in files {
        let cm: Lrc<SourceMap> = Default::default();
        let fm = cm.new_source_file(FileName::Custom(file.path.clone()).into(), file.text.clone());
        let comments = SingleThreadedComments::default();
        let lexer = Lexer::new(syntax, EsVersion::latest(), StringInput::from(&*fm), Some(&comments));
        let program = Parser::new_from(lexer).parse_program();
        std::hint::black_box((program.is_ok(), comments));
    }
    start.elapsed().as_secs_f64()
}

/// The output files as syntax trees, parsed once (not timed): what the printer is timed on.
pub fn output_trees(files: &npm_sdk_codegen::Files) -> Result<Vec<syn::File>, syn::Error> {
    files.values().map(|text| syn::parse_file(text)).collect()
}

/// Seconds prettyplease takes to print `trees`.
pub fn print_seconds(trees: &[syn::File]) -> f64 {
    let start = Instant::now();
    for tree in trees {
        std::hint::black_box(prettyplease::unparse(tree));
    }
    start.elapsed().as_secs_f64()
}
