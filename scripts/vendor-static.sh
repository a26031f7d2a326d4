#!/usr/bin/env bash
# Re-vendor the third-party static files from the npm registry (no build step).
# The GOV.UK crown and the GDS Transport font belong to GOV.UK: their rules are removed.
set -euo pipefail
GOVUK_VERSION=5.14.0
HTMX_VERSION=2.0.11
cd "$(dirname "$0")/.."
work=$(mktemp -d)
(cd "$work" && npm pack --silent "govuk-frontend@$GOVUK_VERSION" "htmx.org@$HTMX_VERSION" >/dev/null)
tar xzf "$work/govuk-frontend-$GOVUK_VERSION.tgz" -C "$work"
mkdir -p static/vendor/govuk-frontend static/vendor/htmx
python3 - "$work/package/dist/govuk/govuk-frontend.min.css" static/vendor/govuk-frontend/govuk-frontend.min.css <<'PY'
import re, sys
css = open(sys.argv[1], encoding="utf-8").read()
css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
css = re.sub(r"@font-face\{[^}]*\}", "", css)
css = re.sub(r"[^{}]*\{[^{}]*govuk-crest[^{}]*\}", "", css)
css = css.replace("GDS Transport,", "")
open(sys.argv[2], "w", encoding="utf-8").write(css)
PY
python3 -c 'import json,sys; print("govuk-frontend", json.load(open(sys.argv[1]))["license"], "licence, (c) Crown copyright, Government Digital Service. See https://opensource.org/license/mit")' "$work/package/package.json" > static/vendor/govuk-frontend/LICENSE.txt
rm -rf "$work/package"
tar xzf "$work/htmx.org-$HTMX_VERSION.tgz" -C "$work"
cp "$work/package/dist/htmx.min.js" static/vendor/htmx/htmx.min.js
cp "$work/package/LICENSE" static/vendor/htmx/LICENSE
printf 'govuk-frontend %s (MIT, compiled CSS without crown and GDS Transport font)\nhtmx.org %s (Zero-Clause BSD)\n' "$GOVUK_VERSION" "$HTMX_VERSION" > static/vendor/VERSIONS
rm -rf "$work"
