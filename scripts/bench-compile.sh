#!/usr/bin/env bash
# Compile-time figures, as ratios measured in this one run (absolute seconds vary between
# machines and with the load, printed by `uptime` at the start and the end; compare the ratios).
#
#   scripts/bench-compile.sh            # ours against the official `stytch` crate, then the build dependency
#   scripts/bench-compile.sh official   # only ours against the official crate
#   scripts/bench-compile.sh builddep   # only the generator as a build dependency, from cold
#
# Ours against theirs: the official Rust SDK (`stytch` on crates.io, pinned below) is unpacked
# into a throwaway cargo project under target/, with the same profiles as this workspace, and both
# crates are built alternately (ours, theirs, ours, ...; ROUNDS pairs, default 3) after touching
# each crate's root, so only the crate itself is compiled; dependencies are built first, untimed.
# Medians are printed with ours/theirs, for `cargo build`, `cargo build --release`, `cargo check`
# and for ours with one product feature (against theirs, which has no product features).
#
# Uses its own target folders (target/bench-compile*), so nothing else is invalidated.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
what="${1:-all}"
rounds="${ROUNDS:-3}"
official_version="11.1.0"
target="$root/target/bench-compile"
official="$root/target/bench-compile-official"
export CARGO_TERM_COLOR=never

secs() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(date +%s.%N) - $s" | bc; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { echo "$1 / $2" | bc -l; }

# The official crate's source, unpacked by cargo itself into its registry cache, copied into a
# project of its own (`[workspace]` so this workspace does not claim it).
setup_official() {
    local fetcher="$official/fetch"
    mkdir -p "$fetcher/src"
    printf '[package]\nname = "fetch-official"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\nstytch = "=%s"\n\n[workspace]\n' \
        "$official_version" >"$fetcher/Cargo.toml"
    touch "$fetcher/src/lib.rs"
    local manifest
    manifest=$(cd "$fetcher" && cargo metadata -q --format-version 1 |
        python3 -c 'import json,sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "stytch"))')
    rm -rf "$official/stytch"
    cp -r "$(dirname "$manifest")" "$official/stytch"
    chmod -R u+w "$official/stytch"
    # This workspace's profiles, so both crates are built with the same settings.
    printf '\n[workspace]\n\n[profile.dev]\ndebug = "line-tables-only"\n\n[profile.dev.package."*"]\ndebug = false\n' \
        >>"$official/stytch/Cargo.toml"
}

ours() { CARGO_TARGET_DIR="$target" cargo "$@" --manifest-path "$root/generated/Cargo.toml"; }
theirs() { CARGO_TARGET_DIR="$official/target" cargo "$@" --manifest-path "$official/stytch/Cargo.toml"; }

# One row: `$1` label, the rest the cargo arguments; ROUNDS alternating pairs, medians.
compare() {
    local label="$1"
    shift
    ours "$@" -q && theirs "$@" -q # dependencies, untimed
    local o=() t=()
    for _ in $(seq "$rounds"); do
        touch "$root/generated/src/lib.rs"
        o+=("$(secs ours "$@")")
        touch "$official/stytch/src/lib.rs"
        t+=("$(secs theirs "$@")")
    done
    local om tm
    om=$(median "${o[@]}")
    tm=$(median "${t[@]}")
    printf '%-44s %8.2f %8.2f %8.2f\n' "$label" "$om" "$tm" "$(ratio "$om" "$tm")"
    theirs_last="$tm"
}

# Ours with only one product feature, against the official crate's last measured time.
feature_row() {
    local feature="$1" o=()
    ours build -q --no-default-features --features "$feature,rustls"
    for _ in $(seq "$rounds"); do
        touch "$root/generated/src/lib.rs"
        o+=("$(secs ours build --no-default-features --features "$feature,rustls")")
    done
    local om
    om=$(median "${o[@]}")
    printf '%-44s %8.2f %8.2f %8.2f\n' "build, ours with feature $feature only" "$om" "$theirs_last" "$(ratio "$om" "$theirs_last")"
}

run_official() {
    setup_official
    echo "ours: generated/ (all products); theirs: stytch $official_version from crates.io; crate alone after touching its root"
    printf '%-44s %8s %8s %8s\n' "measure (median of $rounds pairs)" "ours s" "theirs s" "ours/th."
    compare "cargo build (debug)" build
    feature_row consumer
    feature_row b2b
    compare "cargo build --release" build --release
    compare "cargo check" check
}

# The generator as a build dependency (`default-features = false`, no CLI), from cold: every
# crate it needs compiled, debug, as a build script's dependencies are.
run_builddep() {
    local dir="$root/target/bench-compile-builddep"
    rm -rf "$dir"
    local cold
    cold=$(secs env CARGO_TARGET_DIR="$dir" cargo build -p npm-sdk-codegen --no-default-features --lib)
    printf '%-44s %8.1f s\n' "codegen as build dependency, cold, debug" "$cold"
    rm -rf "$dir"
}

echo "load before: $(uptime)"
case "$what" in
    official) run_official ;;
    builddep) run_builddep ;;
    all) run_official && echo && run_builddep ;;
    *) echo "usage: $0 [all|official|builddep]" >&2 && exit 2 ;;
esac
echo "load after: $(uptime)"
