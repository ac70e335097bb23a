#!/bin/sh
# render.sh draws the pictures of every example with "stockflow plot" and
# writes them beside the models: each [[plots]] entry of each
# examples/*/*.toml to its file, each model's emergence dashboard to
# NAME-dashboard.png, and the XMILE teacup's temperature to
# examples/xmile/teacup.png. Run it from anywhere after changing an
# example or the plots package, look at the pictures, and commit them:
#
#     examples/render.sh
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/stockflow" ./cmd/stockflow

for model in examples/*/*.toml; do
	"$bin/stockflow" plot "$model" -o "$(dirname "$model")"
done
"$bin/stockflow" plot examples/xmile/teacup.xmile --vars Teacup_Temperature -o examples/xmile/teacup.png
