#!/usr/bin/env bash
# Compile-time figures of the generated crate and of the generator as a build dependency.
# Prints seconds and ratios measured in this one run (absolute times vary between machines;
# compare the ratios). Uses its own target folder so nothing else is invalidated.
set -euo pipefail
cd "$(dirname "$0")/.."
target="$PWD/target/bench-compile"
export CARGO_TARGET_DIR="$target" CARGO_TERM_COLOR=never

secs() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(date +%s.%N) - $s" | bc; }

cargo build -q -p stytch && cargo build -q -p stytch --release   # dependencies
touch generated/src/lib.rs
debug=$(secs cargo build -p stytch)
release=$(secs cargo build -p stytch --release)
touch generated/src/b2c/users.rs
incremental=$(secs cargo build -p stytch)
noop=$(secs cargo build -p stytch)
# Each feature set once to build what it needs, then timed after touching the crate.
features() {
    cargo build -q -p stytch --no-default-features --features "$1"
    touch generated/src/lib.rs
    secs cargo build -p stytch --no-default-features --features "$1"
}
consumer=$(features consumer)
b2b=$(features b2b)

# The generator as a build dependency (no CLI): from clean, debug.
rm -rf "$target/debug/.fingerprint"/codegen-* "$target/debug/deps"/libcodegen-* 2>/dev/null || true
cargo clean -q -p codegen -p swc_ecma_parser -p swc_ecma_ast -p swc_common -p syn -p prettyplease 2>/dev/null || true
builddep=$(secs cargo build -p codegen --no-default-features --lib)
cargo build -q -p build-script-example
example_noop=$(secs cargo build -p build-script-example)

printf '%-52s %8s %8s\n' "measure" "seconds" "ratio"
row() { printf '%-52s %8.1f %8.2f\n' "$1" "$2" "$(echo "$2 / $debug" | bc -l)"; }
row "stytch, debug, crate alone (deps built)" "$debug"
row "stytch, release, crate alone" "$release"
row "stytch, debug, after touching b2c/users.rs" "$incremental"
row "stytch, no-op rebuild" "$noop"
row "stytch, debug, feature consumer only" "$consumer"
row "stytch, debug, feature b2b only" "$b2b"
row "codegen as build dependency, clean debug" "$builddep"
row "build-script example, no-op rebuild" "$example_noop"
echo "(ratio: to the debug build of the whole stytch crate)"
