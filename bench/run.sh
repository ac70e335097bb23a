#!/bin/sh
# Runs stockflow's benchmark suite and prints the table of
# docs/performance.md: the large model, the World3-class and business
# models, the ring, the examples and the conformance models, interpreted,
# as generated Go and written by hand, beside SDEverywhere's JavaScript
# build of the large, World3-class and business models.
#
#   bench/run.sh [benchtable flags: -rounds 5 -benchtime 0.5s -models REGEXP]
#
# It installs SDEverywhere (bench/sde/package-lock.json) into
# bench/sde/node_modules with npm on first use; it needs Go and node.
# Not part of go test or CI: it takes minutes and the network.
set -eu
cd "$(dirname "$0")/.."
if [ ! -d bench/sde/node_modules/@sdeverywhere/compile ] || [ bench/sde/package-lock.json -nt bench/sde/node_modules ]; then
	(cd bench/sde && npm ci --no-audit --no-fund)
	touch bench/sde/node_modules
fi
go build -o bench/benchtable.bin ./bench/cmd/benchtable
exec bench/benchtable.bin -sde "$@"
