#!/usr/bin/env bash
# The whole test suite, as CI runs it (`.ci/run` calls exactly this). Needs cargo and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

step "fetch the pinned upstream packages (npm pack, integrity checked): the current pin, the older ones the API diff tests use, and the corpus"
for spec in specs/*.toml; do
    cargo run -q -p npm-sdk-codegen -- fetch "$spec"
done

step "generated/ is exactly what the generator produces"
cargo run -q -p npm-sdk-codegen -- generate specs/stytch.toml --check --quiet

# After an upgrade, what breaks first is the hand-written code in generated/src/ext, which uses the
# generated types: report it before anything else, with the API changes that explain it.
step "the hand-written code (generated/src/ext) compiles against the generated types"
if ! errors=$(cargo check -q -p stytch-generated --message-format short 2>&1); then
    echo "$errors"
    echo
    echo "error: generated/src/ext no longer compiles against the generated types: the upstream API changed under it."
    if [[ -f generated/CHANGELOG.md ]]; then
        # The names the compiler complains about, looked up in the newest changelog entry.
        names=$(grep -o '`[^`]*`' <<<"$errors" | tr -d '`&' | grep -E '^[A-Za-z_][A-Za-z0-9_]{3,}$' | sort -u || true)
        echo "Changes in the newest entry of generated/CHANGELOG.md (written by \`codegen upgrade\`) that name them:"
        awk '/^## /{n++} n==1' generated/CHANGELOG.md | grep -F -- "${names:-no names found}" | grep '^- ' || echo "(none: read the entry's Breaking section)"
    fi
    echo "Any two versions compare with: cargo run -p npm-sdk-codegen -- diff stytch@<old> specs/stytch.toml"
    exit 1
fi

step "tests (workspace: generator, runtime, fixtures, generated crate, build-script example)"
# The corpus crate's library has no tests (the lints step below checks it); its one test is the
# node replay comparison below.
cargo test --workspace --exclude corpus

step "node replay: every generated openai call against a mock server, the same inputs through the JS SDK in node, compared byte for byte"
cargo test -p corpus --test replay -- --nocapture

step "lints"
cargo clippy --workspace --all-targets -- -D warnings

step "docs"
# The corpus crate (other SDKs' generated types) is held to clippy, not rebuilt as docs.
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --exclude corpus

step "the published crates package: generator, runtime, generated crate (each built from its .crate; nothing uploaded)"
# The others are publish = false. --allow-dirty: this checks what a release would contain, from
# whatever the tree holds now.
cargo package -q --allow-dirty -p npm-sdk-codegen -p npm-sdk-runtime -p stytch-generated

step "every feature combination of the generated crate compiles"
for features in "" consumer b2b fraud consumer,b2b consumer,fraud b2b,fraud; do
    echo "features: [${features}]"
    RUSTFLAGS="-D warnings" cargo check -q -p stytch-generated --no-default-features --features "${features}" --target-dir target/features
done

step "jsonwebtoken is compiled only with the features that verify JWTs (consumer, b2b)"
jwt_dependency() {
    cargo tree -q -p stytch-generated --no-default-features --features "$1" -e normal --prefix none | grep '^jsonwebtoken ' >/dev/null
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
