fn main() {
    codegen::Config::new("../../.cache/npm/stytch-14.2.0/package")
        .number(codegen::NumberPolicy::Integer)
        .run_build_script("stytch.rs");
}
