#!/usr/bin/env bash
# Runs the whole test suite: unit, component (bUnit), endpoint (WebApplicationFactory) and browser
# (Playwright driving Debian's Chromium). Installs ffmpeg and chromium first when missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/prerequisites.sh"
mf_need_dotnet
mf_need_packages ffmpeg ffmpeg ffprobe ffmpeg /usr/bin/chromium chromium

cd "$root"
dotnet build MediaFiles.sln -c Release -warnaserror
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test --project MediaFiles.Tests -c Release --no-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
    # The failures scroll by among the app's logs; repeat them at the end where they are seen.
    echo
    echo "==== failed tests ===="
    grep -A 25 -E '^failed ' "$log" | grep -v -E '^\s+at (System|Microsoft|Xunit)\.' || echo "(no 'failed' lines: see the output above)"
fi
exit "$status"
