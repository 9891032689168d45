#!/usr/bin/env bash
# Writes the manual pages of pundit from its own --help: pundit.1 and one
# pundit-COMMAND.1 per subcommand, with help2man.
#
#   scripts/gen_man.sh PUNDIT OUTDIR VERSION
set -euo pipefail
pundit="$1"
out="$2"
version="$3"
mkdir -p "$out"
common=(--no-info --no-discard-stderr --version-string="$version"
        --source="pundit $version")
help2man "${common[@]}" --name="full-text search for opinion articles" \
  --output="$out/pundit.1" "$pundit"
# The subcommands: the indented names under "Subcommands:" in --help.
help=$("$pundit" --help)
commands=$(awk '/^Subcommands:/ { on = 1; next }
  on && /^  [a-z][a-z-]* / { print $1 }' <<< "$help")
for command in $commands; do
  # Its summary: the first sentence of its line.
  name=$(awk -v c="$command" '!done && $1 == c {
    $1 = ""; sub(/^ +/, ""); sub(/\. .*/, ""); print; done = 1 }' <<< "$help")
  help2man "${common[@]}" --help-option="$command --help" \
    --name="${name:-pundit $command}" \
    --output="$out/pundit-$command.1" "$pundit"
done
