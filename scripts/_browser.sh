# The browser tests' tools, for scripts/test: Debian's Chromium (Playwright's own browser
# download is not used) and axe-core from the npm registry, pinned by tests/browser/js's
# package-lock.json. Sourced, not run; expects to be in the project folder.
#
# Fast when everything is in place: nothing is fetched unless /usr/bin/chromium is missing or
# package-lock.json changed since the last `npm ci`. When a tool cannot be had, CI (CI=true)
# fails; elsewhere a warning is printed and the browser tests skip themselves.

CHROMIUM_PATH=/usr/bin/chromium
AXE_DIR=tests/browser/js
AXE_STAMP="$AXE_DIR/node_modules/.installed-lock.json"

# browser_tool_missing MESSAGE: an error in CI (returns 1), a visible warning elsewhere.
browser_tool_missing() {
    if [ "${CI:-}" = "true" ]; then
        echo "error: $*" >&2
        return 1
    fi
    echo "!!! $*" >&2
    echo "!!! The browser tests will be SKIPPED (CI=true makes this an error)." >&2
    return 0
}

ensure_chromium() {
    [ -x "$CHROMIUM_PATH" ] && return 0
    local as_root=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            as_root=(sudo -n)
        else
            browser_tool_missing "no $CHROMIUM_PATH, and installing Debian's chromium package" \
                "needs root (run: sudo apt-get install chromium fonts-liberation)"
            return
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        browser_tool_missing "no $CHROMIUM_PATH, and no apt-get to install Debian's chromium" \
            "package: install Chromium at $CHROMIUM_PATH another way"
        return
    fi
    echo "==> installing Debian's chromium package (apt-get; once per machine)"
    # Without recommends: they pull in a desktop's worth of services; Liberation fonts give
    # screenshots the usual Arial/Times metrics.
    if "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq update </dev/null &&
        "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq -y \
            -o DPkg::Lock::Timeout=300 install --no-install-recommends \
            chromium fonts-liberation </dev/null >/dev/null; then
        [ -x "$CHROMIUM_PATH" ] && return 0
    fi
    browser_tool_missing "apt-get could not install chromium (see the messages above)"
}

ensure_axe_core() {
    if [ -f "$AXE_STAMP" ] && cmp -s "$AXE_DIR/package-lock.json" "$AXE_STAMP" &&
        [ -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]; then
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        browser_tool_missing "npm is not installed: it fetches axe-core for the browser tests"
        return
    fi
    echo "==> installing axe-core into $AXE_DIR/node_modules (npm ci)"
    if (cd "$AXE_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error \
        </dev/null); then
        cp "$AXE_DIR/package-lock.json" "$AXE_STAMP"
        return 0
    fi
    browser_tool_missing "npm ci could not install axe-core (see the messages above)"
}

# ensure_browser_tools: both of the above; returns 1 only in CI when something is missing.
ensure_browser_tools() {
    local ok=0
    ensure_chromium || ok=1
    ensure_axe_core || ok=1
    return "$ok"
}
