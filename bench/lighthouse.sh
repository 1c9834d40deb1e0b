#!/usr/bin/env bash
# Lighthouse scores of a running site: home, an article, patient stories and booking, as a phone
# (Lighthouse's default, throttled) and as a desktop. Not part of the test suite.
#
#   bench/lighthouse.sh [BASE_URL]        default http://127.0.0.1:8000 (`make run`)
#   make lighthouse                        the same; serves the site itself if nothing runs there
#
# Lighthouse 12.2.3 is pinned in bench/.lighthouse/package-lock.json and installed there with
# `npm ci --ignore-scripts` (nothing downloads a browser); it drives Debian's Chromium.
# JSON reports go to bench/results/lighthouse/. Target: 100 for accessibility, best practices
# and SEO; 98 or more for performance.
set -euo pipefail
cd "$(dirname "$0")"
BASE_URL="${1:-http://127.0.0.1:8000}"
BASE_URL="${BASE_URL%/}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
LIGHTHOUSE=.lighthouse/node_modules/.bin/lighthouse
OUT=results/lighthouse

if [ ! -x "$LIGHTHOUSE" ] || ! grep -q '"version": "12.2.3"' .lighthouse/node_modules/lighthouse/package.json; then
  echo "Installing lighthouse@12.2.3 into bench/.lighthouse ..." >&2
  npm ci --prefix .lighthouse --ignore-scripts --no-audit --no-fund --loglevel=error >&2
fi
if [ ! -x "$CHROME_PATH" ]; then
  echo "Lighthouse drives Chromium at $CHROME_PATH: apt-get install chromium (or set CHROME_PATH)." >&2
  exit 1
fi
if [ $# -eq 0 ] && ! curl -fsS -o /dev/null "$BASE_URL/" 2>/dev/null; then
  # Nothing at the default address: serve the site (`make setup`'s database) on a spare port,
  # with the production middleware and static files, and stop it afterwards.
  port="${LIGHTHOUSE_PORT:-8766}"
  (cd .. && exec .venv/bin/gunicorn clinic.wsgi --bind "127.0.0.1:$port" --workers 2 --log-level warning) &
  server=$!
  trap 'kill "$server" 2>/dev/null' EXIT
  BASE_URL="http://127.0.0.1:$port"
  for _ in $(seq 40); do curl -fsS -o /dev/null "$BASE_URL/" 2>/dev/null && break; sleep 0.25; done
fi
if ! curl -fsS -o /dev/null "$BASE_URL/"; then
  echo "Nothing answers at $BASE_URL: start the site (make run) or pass its URL." >&2
  exit 1
fi
mkdir -p "$OUT"

# The article: the first link to a post on the blog's list page, if the blog has any.
article="$(curl -fsS "$BASE_URL/blog/" | grep -oE 'href="/blog/[^"#?]+/"' | grep -vE '/blog/(feed|atom|rss|topics?|tag|preview|page)' | head -n1 | sed -E 's/href="(.*)"/\1/' || true)"
pages=("/" "${article:-}" "/stories/" "/book/")
names=("home" "article" "stories" "booking")

run_lighthouse() {  # URL REPORT LOG [extra flags]
  "$LIGHTHOUSE" "$1" "${@:4}" --quiet \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="$CHROME_FLAGS" --output=json --output-path="$2" >/dev/null 2>"$3"
}

printf '%-8s %-8s %-50s %5s %5s %5s %5s\n' page preset path perf a11y bp seo
for i in "${!pages[@]}"; do
  path="${pages[$i]}"
  if [ -z "$path" ]; then
    printf '%-8s %-8s %-50s %s\n' "${names[$i]}" "-" "(no post on /blog/ yet)" "skipped"
    continue
  fi
  if ! curl -fsS -o /dev/null "$BASE_URL$path"; then
    printf '%-8s %-8s %-50s %s\n' "${names[$i]}" "-" "$path" "does not answer 200: skipped"
    continue
  fi
  for preset in mobile desktop; do
    report="$OUT/${names[$i]}-$preset.json"
    extra=()
    [ "$preset" = desktop ] && extra=(--preset=desktop)
    # One retry: on a busy machine Chromium's trace sometimes misses the navigation (NO_NAVSTART).
    run_lighthouse "$BASE_URL$path" "$report" "$OUT/${names[$i]}-$preset.log" "${extra[@]}" \
      || run_lighthouse "$BASE_URL$path" "$report" "$OUT/${names[$i]}-$preset.log" "${extra[@]}" \
      || { printf '%-8s %-8s %-50s %s\n' "${names[$i]}" "$preset" "$path" "lighthouse failed: see $OUT/${names[$i]}-$preset.log"; continue; }
    node -e '
      const r = require(require("path").resolve(process.argv[1]));
      const s = (k) => r.categories[k].score === null ? "  n/a" : String(Math.round(r.categories[k].score * 100)).padStart(5);
      const row = [process.argv[2].padEnd(8), process.argv[3].padEnd(8), process.argv[4].padEnd(50)];
      console.log(row.join(" ") + " " + ["performance", "accessibility", "best-practices", "seo"].map(s).join(" "));
      for (const [id, audit] of Object.entries(r.audits)) {
        if (audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== "informative" && audit.scoreDisplayMode !== "notApplicable" && audit.scoreDisplayMode !== "manual")
          console.log("           - " + id + ": " + audit.title + (audit.displayValue ? " (" + audit.displayValue + ")" : ""));
      }
    ' "$report" "${names[$i]}" "$preset" "$path"
  done
done
echo "Reports: bench/$OUT/"
