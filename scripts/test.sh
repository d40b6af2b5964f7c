#!/usr/bin/env bash
# The whole test suite, as CI runs it (`.ci/run` calls exactly this). Needs cargo and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

step "fetch the pinned upstream packages (npm pack, integrity checked)"
for spec in specs/*.toml; do
    cargo run -q -p codegen -- fetch "$spec"
done

step "generated/ is exactly what the generator produces"
cargo run -q -p codegen -- generate specs/stytch.toml --check --quiet

step "tests (workspace: generator, runtime, fixtures, generated crate, build-script example)"
cargo test --workspace

step "lints"
cargo clippy --workspace --all-targets -- -D warnings

step "docs"
# The corpus crate (other SDKs' generated types) is held to clippy, not rebuilt as docs.
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --exclude corpus

step "every feature combination of the generated crate compiles"
for features in "" consumer b2b fraud consumer,b2b consumer,fraud b2b,fraud; do
    echo "features: [${features}]"
    RUSTFLAGS="-D warnings" cargo check -q -p stytch --no-default-features --features "${features}" --target-dir target/features
done
