#!/usr/bin/env bash
# The whole test suite, as CI runs it (`.ci/run` calls exactly this). Needs cargo and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

step "fetch the pinned upstream package (npm pack, integrity checked)"
cargo run -q -p codegen -- fetch specs/stytch.toml

step "generated/ is exactly what the generator produces"
cargo run -q -p codegen -- generate specs/stytch.toml --check --quiet

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

step "jsonwebtoken is compiled only with the features that verify JWTs (consumer, b2b)"
jwt_dependency() {
    cargo tree -q -p stytch --no-default-features --features "$1" -e normal --prefix none | grep '^jsonwebtoken ' >/dev/null
}
for features in "" fraud; do
    if jwt_dependency "${features}"; then
        echo "jsonwebtoken is a dependency with features [${features}]" >&2
        exit 1
    fi
done
for features in consumer b2b; do
    jwt_dependency "${features}" || { echo "jsonwebtoken is missing with features [${features}]" >&2; exit 1; }
done
