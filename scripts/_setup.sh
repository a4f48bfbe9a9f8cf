# Shared by scripts/demo and scripts/test: find Python 3.11+, create .venv, install the project.
# Sourced, not run; expects to be in the project folder.

fail() {
    echo "error: $*" >&2
    exit 1
}

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# ensure_venv [EXTRA]: a virtual environment in .venv with the project (and EXTRA) installed.
# Reinstalls only when pyproject.toml or the extra changed, so repeat runs start at once.
ensure_venv() {
    local extra="${1:-}" spec="." stamp=".venv/.installed" want python
    [ -n "$extra" ] && spec=".[$extra]"
    if [ ! -x .venv/bin/python ]; then
        python="$(find_python)" || fail "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)"
        echo "==> creating .venv with $("$python" --version)"
        "$python" -m venv .venv || fail "could not create .venv (on Debian/Ubuntu: apt install python3-venv)"
    fi
    want="$(cat pyproject.toml; echo "extra=$extra")"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        # An install for the dev extra also covers the plain one, so keep the richer stamp.
        if [ -z "$extra" ] && [ -f "$stamp" ] && grep -q '^extra=dev$' "$stamp" &&
            [ "$(sed '$d' "$stamp")" = "$(cat pyproject.toml)" ]; then
            return 0
        fi
        echo "==> installing mentorship$( [ -n "$extra" ] && echo " with the $extra extra") into .venv"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check --editable "$spec" ||
            fail "pip could not install the project (see the messages above)"
        printf '%s\n' "$want" >"$stamp"
    fi
}
