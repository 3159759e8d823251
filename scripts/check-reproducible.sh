#!/usr/bin/env bash
# Builds every published module twice from clean and compares the jars (classes, sources, Javadoc) byte for byte.
# A reproducible build gives the same bytes: project.build.outputTimestamp fixes the entries' times, and the plugins
# write no build time, user or path. Exit 0 when every jar matches, 1 with the differing jars listed otherwise.
# Usage: scripts/check-reproducible.sh    (about twice the time of ./mvnw package -DskipTests on those modules)
set -euo pipefail
cd "$(dirname "$0")/.."

# The published modules: the ones the BOM lists, found by their artifactId.
artifacts=$(sed -n 's|.*<artifactId>\(hookwarden-[^<]*\)</artifactId>.*|\1|p' bom/pom.xml)
dirs=()
for pom in $(find . -name pom.xml -not -path '*/target/*' | sed 's|^\./||' | sort); do
    own=$(sed -n '/<\/parent>/,$p' "$pom" | sed -n 's|.*<artifactId>\([^<]*\)</artifactId>.*|\1|p' | head -1)
    if grep -qx "$own" <<<"$artifacts"; then
        dirs+=("$(dirname "$pom")")
    fi
done
modules=$(IFS=,; echo "${dirs[*]}")
echo "published modules: $modules"

build() {
    ./mvnw -B -ntp -q clean package -DskipTests -Djacoco.skip=true -pl "$modules" -am
    for dir in "${dirs[@]}"; do
        if compgen -G "$dir/target/*.jar" > /dev/null; then   # the BOM has no jar
            sha256sum "$dir"/target/*.jar
        fi
    done
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build > "$work/first"
build > "$work/second"
if diff "$work/first" "$work/second"; then
    echo "reproducible: $(wc -l < "$work/first") jars identical in two builds"
else
    echo "NOT reproducible: the jars above differ between two builds" >&2
    exit 1
fi
