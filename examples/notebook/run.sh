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
if ! command -v jupyter-nbconvert >/dev/null 2>&1 || ! python3 -c 'import nbclient, ipykernel, jupyter_client' 2>/dev/null; then
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
	say "installing jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel"
	$sudo apt-get update -q
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel
fi

# 2. GoNB and its helpers, at pinned versions.
if ! { command -v gonb >/dev/null 2>&1 && gonb --version 2>&1 | grep -q "${GONB_VERSION#v}"; }; then
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

# 4. Execute the notebook; nbconvert exits non-zero when a cell fails.
out="${OUT:-$(mktemp -d)}"
say "executing $here/corridor.ipynb into $out"
cd "$here"
jupyter nbconvert --to notebook --execute \
	--ExecutePreprocessor.kernel_name=gonb \
	--ExecutePreprocessor.timeout=600 \
	--output-dir "$out" corridor.ipynb
say "ok: $out/corridor.ipynb"
