#!/bin/sh
# render.sh draws the pictures of every example with "stockflow plot" and
# writes them beside the models: each [[plots]] entry of each
# examples/*/*.toml to its file, each model's emergence dashboard to
# NAME-dashboard.png, the XMILE teacup's temperature to
# examples/xmile/teacup.png, and the Middle Corridor's tipping map
# ("stockflow sweep") to examples/middle-corridor/tipping.png, and its
# sensitivity studies' pictures ("stockflow sensitivity") to
# examples/middle-corridor/sensitivity; and with "stockflow diagram"
# each model's stock-and-flow diagram and causal-loop diagram as SVG,
# NAME-diagram.svg and NAME-cld.svg (the Middle Corridor's without its
# params, which would bury its structure), and the Middle Corridor's named
# loops alone (--loops-only): the article's three to corridor-cld.png, all
# eleven to corridor-named-loops.png. Run it from
# anywhere after changing an example or the plots package, look at the
# pictures, and commit them:
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
for model in examples/*/*.toml examples/xmile/teacup.xmile; do
	name=$(basename "$model")
	out=$(dirname "$model")/${name%.*}
	params=true
	case $model in */corridor.toml) params=false ;; esac
	"$bin/stockflow" diagram "$model" --params="$params" -o "$out-diagram.svg" >/dev/null
	"$bin/stockflow" diagram "$model" --cld -o "$out-cld.svg" >/dev/null
done
"$bin/stockflow" plot examples/predator-prey/predator_prey.toml --phase hares,lynx -o examples/predator-prey/phase.png
"$bin/stockflow" plot examples/xmile/teacup.xmile --vars Teacup_Temperature -o examples/xmile/teacup.png
"$bin/stockflow" diagram examples/middle-corridor/corridor.toml --cld --loops-only \
	--loop "institutional feedback" --loop "infrastructure reinforcement" --loop "regulatory adaptation" \
	-o examples/middle-corridor/corridor-cld.png
"$bin/stockflow" diagram examples/middle-corridor/corridor.toml --cld --loops-only -o examples/middle-corridor/corridor-named-loops.png
"$bin/stockflow" sweep examples/middle-corridor/corridor.toml --threshold emergence \
	--x institutional_push=0:0.3:41 --y threat_level=0:0.4:41 -o examples/middle-corridor/tipping.png
"$bin/stockflow" loops examples/middle-corridor/corridor.toml --knockout -o examples/middle-corridor/knockout.png >/dev/null
"$bin/stockflow" test examples/middle-corridor/corridor.toml --tornado emergence --top 12 \
	-o examples/middle-corridor/tornado.png >/dev/null
"$bin/stockflow" sensitivity examples/middle-corridor/corridor.toml --samples 1000 --vars institutional_integration,coordination \
	-o examples/middle-corridor/sensitivity >/dev/null
"$bin/stockflow" sensitivity examples/middle-corridor/corridor.toml --method sobol --samples 256 --vars coordination \
	--outputs coordination@2030 -o examples/middle-corridor/sensitivity/sobol >/dev/null
