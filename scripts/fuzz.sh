#!/usr/bin/env bash
# Runs every fuzz target of the module in turn, each for a while. Each
# input is bounded in time and memory (internal/fuzzbound: a watchdog ends
# the worker when an input's heap grows past 1 GB or it runs past 20 s),
# and GOMEMLIMIT makes each worker collect garbage hard before it grows
# past 2 GiB. A failing input is kept under the package's
# testdata/fuzz/FuzzName/ and reproduces with plain `go test`.
#
#   scripts/fuzz.sh                  # each target for 5 minutes
#   FUZZTIME=30s scripts/fuzz.sh     # each for 30 seconds (CI: a few seconds)
#   scripts/fuzz.sh ./model/xmile    # the targets of one package
#
# FUZZTIME is go test's -fuzztime (a duration, or Nx for N inputs);
# FUZZPARALLEL is the number of worker processes (default 2). (ulimit -v
# is no use here: under it Go's fuzzing workers slow a hundredfold.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

fuzztime="${FUZZTIME:-5m}"
parallel="${FUZZPARALLEL:-2}"
export GOMEMLIMIT="${GOMEMLIMIT:-2GiB}"
pkgs=("$@")
if [[ ${#pkgs[@]} -eq 0 ]]; then
	pkgs=(./...)
fi

status=0
for pkg in $(go list "${pkgs[@]}"); do
	dir="$(go list -f '{{.Dir}}' "$pkg")"
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
		echo "fuzz: $pkg $target for $fuzztime"
		if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -parallel "$parallel" "$pkg"; then
			echo "fuzz: $pkg $target FAILED; the input is under $dir/testdata/fuzz/$target/" >&2
			status=1
		fi
	done
done
exit "$status"
