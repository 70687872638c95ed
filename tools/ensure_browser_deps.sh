#!/usr/bin/env bash
# Make sure the real-browser test (tests/browser/) has what it needs: Debian's chromium and ffmpeg, plus
# an emoji font so the page's icons are not empty boxes in the screenshot it keeps.
# Installs what is missing with apt-get when we are root. When it cannot (not root, no apt-get, apt failed)
# it says so in one line and exits 0: the browser test then skips with its own clear reason.
# Idempotent, and fast (no apt-get at all) when everything is already there.
set -u

EMOJI_FONT=fonts-noto-color-emoji
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
want=()
dpkg-query -W -f='${Status}' "$EMOJI_FONT" 2>/dev/null | grep -q "install ok installed" || want+=("$EMOJI_FONT")

if [ ${#need[@]} -eq 0 ] && [ ${#want[@]} -eq 0 ]; then
    echo "ensure_browser_deps: chromium and ffmpeg already installed"
    exit 0
fi
missing="${need[*]} ${want[*]}"
missing="${missing# }"
missing="${missing% }"
if [ "${EUID:-$(id -u)}" -ne 0 ]; then
    echo "ensure_browser_deps: missing ${missing} and not root: cannot install; the browser test will skip"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_browser_deps: missing ${missing} and no apt-get here; the browser test will skip"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
apt_install() {
    apt-get install -y -qq --no-install-recommends "$@" >>"$log" 2>&1
}
echo "ensure_browser_deps: installing ${missing} with apt-get"
if ! apt-get update -qq >"$log" 2>&1; then
    tail -n 5 "$log"
    echo "ensure_browser_deps: apt-get update failed; the browser test will skip"
    exit 0
fi
if [ ${#need[@]} -gt 0 ]; then
    if apt_install "${need[@]}"; then
        echo "ensure_browser_deps: installed ${need[*]}"
    else
        tail -n 5 "$log"
        echo "ensure_browser_deps: apt-get could not install ${need[*]}; the browser test will skip"
        exit 0
    fi
fi
# The font only makes the screenshot look right: the test runs without it.
if [ ${#want[@]} -gt 0 ]; then
    if apt_install "${want[@]}"; then
        echo "ensure_browser_deps: installed ${want[*]}"
    else
        echo "ensure_browser_deps: could not install ${want[*]} (screenshots will show boxes for emoji)"
    fi
fi
exit 0
