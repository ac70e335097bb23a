#!/usr/bin/env bash
# run.sh sets up the notebook tool chain and executes corridor.ipynb
# headlessly, failing when any cell fails.
#
#   examples/notebook/run.sh              execute the notebook (set up first if need be)
#   examples/notebook/run.sh --install    set up only: what a user needs once
#   examples/notebook/run.sh --uninstall  undo the set-up (but not the Debian packages)
#   examples/notebook/run.sh --help       this text
#
# What the set-up installs, and where:
#   1. Debian's jupyter-nbconvert, python3-nbclient, jupyter-client and
#      python3-ipykernel, with apt-get (sudo when not root) — only when they
#      are missing, and only after asking: on a terminal it asks y/N; without
#      one it installs only with --install or when CI=true, and otherwise
#      stops and prints the apt-get command. --uninstall leaves them; remove
#      them with apt-get remove if you want.
#   2. GoNB (the Go kernel), goimports and gopls, at the versions pinned
#      below, built with go install into the tools directory, by default
#      ~/.cache/stockflow/notebook/bin (set STOCKFLOW_NOTEBOOK_TOOLS to put
#      it elsewhere). They are built once and reused; a fresh machine takes a few
#      minutes, most of it gopls, and later runs about 20 s.
#   3. The Jupyter kernel "gonb": a kernel.json in
#      ${JUPYTER_DATA_DIR:-~/.local/share/jupyter}/kernels/gonb whose go.work
#      uses this checkout and the display helper nbdisplay, so that notebook
#      cells import this stockflow rather than a published one, and whose
#      PATH starts with the tools directory. Run --install again after moving
#      the checkout; --uninstall removes the kernel and the tools directory.
#
# Environment:
#   NOTEBOOK  0: do nothing (CI's switch, see .ci/run); a .ipynb file: execute
#             that notebook instead of corridor.ipynb; 1 or unset: corridor.ipynb
#   OUT       the directory for the executed notebook (default a temporary one);
#             the source notebook is left as it is
#   CI        true: install what is missing without asking
set -euo pipefail

GONB_VERSION=v0.11.3
GOPLS_VERSION=v0.23.0
TOOLS_VERSION=v0.52.0 # golang.org/x/tools, for goimports

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
TOOLS=${STOCKFLOW_NOTEBOOK_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/stockflow/notebook}
kernels=${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels
export GOBIN="$TOOLS/bin"
export PATH="$GOBIN:$PATH"

say() { printf 'notebook: %s\n' "$*" >&2; }

mode=execute
case "${1:-}" in
"") ;;
--install) mode=install ;;
--uninstall) mode=uninstall ;;
-h | --help)
	sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
	exit 0
	;;
*)
	say "unknown argument $1 (want --install, --uninstall or --help)"
	exit 2
	;;
esac

if [ "$mode" = uninstall ]; then
	if [ -f "$kernels/gonb/kernel.json" ]; then
		say "removing the gonb kernel in $kernels/gonb"
		rm -rf "$kernels/gonb"
	fi
	if [ -d "$TOOLS" ]; then
		say "removing the tools directory $TOOLS"
		rm -rf "$TOOLS"
	fi
	say "the Debian packages stay; remove them with: sudo apt-get remove jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel"
	exit 0
fi

notebook="$here/corridor.ipynb"
case "${NOTEBOOK:-}" in
0)
	if [ "$mode" = execute ]; then
		say "NOTEBOOK=0: not executing the notebook"
		exit 0
	fi
	;;
"" | 1) ;;
*.ipynb) notebook=$(cd "$(dirname "$NOTEBOOK")" && pwd)/$(basename "$NOTEBOOK") ;;
*)
	say "NOTEBOOK must be 0, 1 or a .ipynb file, not $NOTEBOOK"
	exit 2
	;;
esac

# 1. Jupyter, from Debian, only when missing and only when allowed.
debs="jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel"
installed() { dpkg-query -W -f='${Status}\n' "$@" 2>/dev/null | grep -c '^install ok installed$' || true; }
if ! command -v dpkg-query >/dev/null 2>&1; then
	if ! command -v jupyter >/dev/null 2>&1; then
		say "Jupyter is not installed, and this is not Debian or Ubuntu: install jupyter-nbconvert, nbclient and ipykernel (pip install nbconvert nbclient ipykernel), then run this again"
		exit 1
	fi
elif [ "$(installed $debs)" -ne 4 ]; then
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
	allowed=no
	if [ "$mode" = install ] || [ "${CI:-}" = true ]; then
		allowed=yes
	elif [ -t 0 ]; then
		printf 'notebook: install the Debian packages %s with %sapt-get? [y/N] ' "$debs" "${sudo:+sudo }" >&2
		read -r answer
		case "$answer" in y | Y | yes) allowed=yes ;; esac
	fi
	if [ "$allowed" != yes ]; then
		say "Jupyter is missing; install it with: ${sudo:+sudo }apt-get install --no-install-recommends $debs"
		say "(or run examples/notebook/run.sh --install, which does that and the rest of the set-up)"
		exit 1
	fi
	say "installing $debs"
	$sudo apt-get update -q
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $debs
fi

# 2. GoNB and its helpers, pinned, in the tools directory.
mkdir -p "$GOBIN"
# (gonb --version prints v0.11.1 for v0.11.3: ask the binary's build info.)
if ! { [ -x "$GOBIN/gonb" ] && go version -m "$GOBIN/gonb" | grep -q "mod[[:space:]]*github.com/janpfeifer/gonb[[:space:]]*$GONB_VERSION[[:space:]]"; }; then
	say "building gonb $GONB_VERSION into $GOBIN"
	# From a throwaway module that requires it: the module proxy refuses
	# @latest for some of its dependencies, and GoNB's own go.mod cannot be
	# installed with go install MODULE@VERSION.
	tmp=$(mktemp -d)
	(
		cd "$tmp"
		go mod init example.com/gonbinstall >/dev/null 2>&1
		go get "github.com/janpfeifer/gonb@$GONB_VERSION"
		go install github.com/janpfeifer/gonb
	)
	rm -rf "$tmp"
fi
if ! { [ -x "$GOBIN/goimports" ] && go version -m "$GOBIN/goimports" | grep -q "golang.org/x/tools[[:space:]]*$TOOLS_VERSION"; }; then
	say "building goimports ($TOOLS_VERSION) into $GOBIN"
	go install "golang.org/x/tools/cmd/goimports@$TOOLS_VERSION"
fi
if ! { [ -x "$GOBIN/gopls" ] && go version -m "$GOBIN/gopls" | grep -q "golang.org/x/tools/gopls[[:space:]]*$GOPLS_VERSION"; }; then
	say "building gopls $GOPLS_VERSION into $GOBIN (a few minutes, once)"
	go install "golang.org/x/tools/gopls@$GOPLS_VERSION"
fi

# 3. The kernel: its notebooks' go.work uses this checkout and the display
# helper (a module of its own, so that stockflow itself does not depend on
# GoNB); its PATH finds the tools.
say "registering the gonb kernel in $kernels/gonb (go.work uses $root and $here/nbdisplay)"
"$GOBIN/gonb" --install --go_work="$root,$here/nbdisplay" --logtostderr 2>&1 | sed 's/^/notebook: gonb: /' >&2
python3 - "$kernels/gonb/kernel.json" "$GOBIN:$PATH" <<'PY'
import json, sys
path, env_path = sys.argv[1], sys.argv[2]
spec = json.load(open(path))
spec.setdefault("env", {})["PATH"] = env_path
json.dump(spec, open(path, "w"), indent=1)
PY

if [ "$mode" = install ]; then
	say "set up; undo with examples/notebook/run.sh --uninstall"
	exit 0
fi

# 4. Execute the notebook. nbconvert exits non-zero when a cell does not
# compile; a cell whose program panics or exits non-zero is reported by
# GoNB only as "exit status N" on the cell's stderr, so look for that too.
out="${OUT:-$(mktemp -d)}"
name=$(basename "$notebook")
say "executing $notebook into $out"
cd "$(dirname "$notebook")"
jupyter nbconvert --to notebook --execute \
	--ExecutePreprocessor.kernel_name=gonb \
	--ExecutePreprocessor.timeout=600 \
	--output-dir "$out" "$name"
python3 - "$out/$name" <<'PY'
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
say "ok: $out/$name"
