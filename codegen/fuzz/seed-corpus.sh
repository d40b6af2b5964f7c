#!/usr/bin/env bash
# Seeds the `generate` fuzz target's corpus with the pinned package's real files: each
# declaration file paired with its compiled JS (the target splits its input at `//--js--`).
# Import lines are dropped (the target's package has one file, so they could not resolve; an
# unknown name is only a warning), so that seeds reach resolution and emission.
# Needs the package in the cache: `cargo run -p npm-sdk-codegen -- fetch specs/stytch.toml`.
set -euo pipefail
cd "$(dirname "$0")"
root=../..
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/specs/stytch.toml" | head -n1)
package="$root/.cache/npm/stytch-$version/package"
[ -f "$package/package.json" ] || { echo "fetch the package first: cargo run -p npm-sdk-codegen -- fetch specs/stytch.toml" >&2; exit 1; }
mkdir -p corpus/generate
count=0
while IFS= read -r dts; do
    module=${dts#"$package/types/lib/"}
    module=${module%.d.ts}
    js="$package/dist/$module.js"
    out="corpus/generate/$(echo "$module" | tr / _)"
    { grep -v '^import ' "$dts" || true; printf '\n//--js--\n'; if [ -f "$js" ]; then cat "$js"; fi; } > "$out"
    count=$((count + 1))
done < <(find "$package/types/lib" -name '*.d.ts' | sort)
for fixture in "$root"/tests/fixtures/*.d.ts; do
    cp "$fixture" "corpus/generate/fixture_$(basename "$fixture" .d.ts)"
    count=$((count + 1))
done
echo "$count seed inputs in codegen/fuzz/corpus/generate"
