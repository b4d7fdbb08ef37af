#!/usr/bin/env bash
# make graphiql-assets: install the pinned packages with `npm ci` in a
# temporary folder and copy their browser builds into cms/static/graphiql/vendor/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
node "$here/build.mjs" "$work/node_modules" "$root/cms/static/graphiql/vendor"
