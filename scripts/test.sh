#!/usr/bin/env bash
# The whole test suite, as CI runs it (`.ci/run` calls exactly this). Needs cargo and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

step "fetch the pinned upstream packages (npm pack, integrity checked): the current pin and the older ones the API diff tests use"
for spec in specs/*.toml; do
    cargo run -q -p codegen -- fetch "$spec"
done

step "generated/ is exactly what the generator produces"
cargo run -q -p codegen -- generate specs/stytch.toml --check --quiet

# After an upgrade, what breaks first is the hand-written code in generated/src/ext, which uses the
# generated types: report it before anything else, with the API changes that explain it.
step "the hand-written code (generated/src/ext) compiles against the generated types"
if ! cargo check -q -p stytch; then
    echo
    echo "error: generated/src/ext no longer compiles against the generated types."
    echo "The upstream API changed under it. What changed, breaking changes first:"
    if [[ -f generated/CHANGELOG.md ]]; then
        echo "--- newest entry of generated/CHANGELOG.md (written by \`codegen upgrade\`) ---"
        awk '/^## /{n++} n==1 && !/^### (Additive|Doc-only)/{print} /^### (Additive|Doc-only)/{if(n==1)exit}' generated/CHANGELOG.md
    fi
    echo "Or diff any two versions: cargo run -p codegen -- diff stytch@<old> specs/stytch.toml"
    exit 1
fi

step "tests (workspace: generator, runtime, fixtures, generated crate, build-script example)"
cargo test --workspace

step "lints"
cargo clippy --workspace --all-targets -- -D warnings

step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps

step "every feature combination of the generated crate compiles"
for features in "" consumer b2b fraud consumer,b2b consumer,fraud b2b,fraud; do
    echo "features: [${features}]"
    RUSTFLAGS="-D warnings" cargo check -q -p stytch --no-default-features --features "${features}" --target-dir target/features
done
