#!/usr/bin/env bash
# run.sh sets up the notebook tool chain on a fresh Debian or Ubuntu
# machine and executes corridor.ipynb headlessly, failing when any cell
# fails. Steps it has already done are skipped on the next run.
#
#   examples/notebook/run.sh            install what is missing, then execute
#   examples/notebook/run.sh --install  install only (what a user needs once)
#
# It installs:
#   - Debian's jupyter-nbconvert, python3-nbclient, jupyter-client and
#     python3-ipykernel (with sudo when not root);
#   - GoNB, the Go kernel, at a pinned version, from a throwaway module
#     that requires it (the module proxy refuses @latest for some of these
#     modules, and GoNB's own go.mod cannot be installed with go install
#     MODULE@VERSION), and its helpers goimports and gopls, also pinned;
#   - the GoNB kernel, with --go_work naming this checkout and the display
#     helper nbdisplay, so that the notebook's cells import this stockflow
#     rather than a published one.
#
# The executed notebook is written to $OUT (default a temporary
# directory); the source notebook is left as it is.
set -euo pipefail

GONB_VERSION=v0.11.3
GOPLS_VERSION=v0.23.0
TOOLS_VERSION=v0.52.0 # golang.org/x/tools, for goimports

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
gobin=$(go env GOPATH)/bin
export PATH="$gobin:$PATH"

say() { printf 'notebook: %s\n' "$*" >&2; }

# 1. Jupyter, from Debian.
debs="jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel"
installed() { dpkg-query -W -f='${Status}\n' "$@" 2>/dev/null | grep -c '^install ok installed$'; }
if [ "$(installed $debs)" -ne 4 ]; then
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
	say "installing $debs"
	$sudo apt-get update -q
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $debs
fi

# 2. GoNB and its helpers, at pinned versions.
# (gonb --version prints v0.11.1 for v0.11.3: ask the binary's build info.)
if ! { command -v gonb >/dev/null 2>&1 && go version -m "$(command -v gonb)" | grep -q "mod[[:space:]]*github.com/janpfeifer/gonb[[:space:]]*$GONB_VERSION[[:space:]]"; }; then
	say "installing gonb $GONB_VERSION"
	tmp=$(mktemp -d)
	(
		cd "$tmp"
		go mod init example.com/gonbinstall >/dev/null 2>&1
		go get "github.com/janpfeifer/gonb@$GONB_VERSION"
		go install github.com/janpfeifer/gonb
	)
	rm -rf "$tmp"
fi
if ! command -v goimports >/dev/null 2>&1; then
	say "installing goimports ($TOOLS_VERSION)"
	go install "golang.org/x/tools/cmd/goimports@$TOOLS_VERSION"
fi
if ! command -v gopls >/dev/null 2>&1; then
	say "installing gopls $GOPLS_VERSION"
	go install "golang.org/x/tools/gopls@$GOPLS_VERSION"
fi

# 3. The kernel, its notebooks' go.work using this checkout and the
# display helper (a module of its own, so that stockflow itself does not
# depend on GoNB).
say "installing the gonb kernel (go.work uses $root and $here/nbdisplay)"
gonb --install --go_work="$root,$here/nbdisplay" --logtostderr 2>&1 | sed 's/^/notebook: gonb: /' >&2

if [ "${1:-}" = "--install" ]; then
	exit 0
fi

# 4. Execute the notebook. nbconvert exits non-zero when a cell does not
# compile; a cell whose program panics or exits non-zero is reported by
# GoNB only as "exit status N" on the cell's stderr, so look for that too.
out="${OUT:-$(mktemp -d)}"
say "executing $here/corridor.ipynb into $out"
cd "$here"
jupyter nbconvert --to notebook --execute \
	--ExecutePreprocessor.kernel_name=gonb \
	--ExecutePreprocessor.timeout=600 \
	--output-dir "$out" corridor.ipynb
python3 - "$out/corridor.ipynb" <<'PY'
import json, sys
failed = 0
for i, cell in enumerate(json.load(open(sys.argv[1]))["cells"]):
    for o in cell.get("outputs", []):
        text = "".join(o.get("text", [])) if o["output_type"] == "stream" else ""
        if o["output_type"] == "error" or (o.get("name") == "stderr" and ("exit status" in text or "panic:" in text)):
            failed += 1
            print(f"notebook: cell {i} failed:\n{text or o.get('evalue', '')}", file=sys.stderr)
sys.exit(1 if failed else 0)
PY
say "ok: $out/corridor.ipynb"
