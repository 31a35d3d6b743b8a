#!/usr/bin/env bash
# Builds every package and deploys @recon/cli with its production dependencies only to DIR, a
# folder that runs on its own (no TypeScript, no tsx, no workspace):
#   bash scripts/deploy-production.sh /srv/recon     (or: pnpm deploy:prod /srv/recon)
#   node /srv/recon/dist/main.js start               (same environment variables as `pnpm start`)
# DIR must not exist or be empty. Needs the workspace installed (`pnpm install`); installs nothing
# from the network: the deployed packages come from pnpm's store. docs/production-build.md.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 <empty or new folder>" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
case "$1" in
  /*) dir=$1 ;;
  *) dir=$PWD/$1 ;;
esac
cd "$root"

pnpm build
# inject-workspace-packages only for this command: `pnpm deploy` copies the @recon packages into
# DIR (files: dist), while the workspace itself keeps linking them to their source.
pnpm --filter @recon/cli --prod --offline --config.inject-workspace-packages=true deploy "$dir" >/dev/null
node scripts/finish-deploy.mjs "$dir"
echo "deploy: $dir ($(du -sh "$dir" | cut -f1)); run it with: node $dir/dist/main.js start"
