# recon's image, in two stages (docs/production-build.md):
#   build:   the pnpm workspace installed, compiled (`pnpm build`) and deployed with production
#            dependencies only to /deploy (scripts/deploy-production.sh: JavaScript, no TypeScript,
#            no tsx, no dev tools);
#   runtime: node:20-bookworm-slim with only /deploy, run as the unprivileged `node` user.
# Used by docker-compose.yml; configure with DATABASE_URL and, for EventStoreDB, EVENTSTORE_URL.
FROM node:20-bookworm AS build
RUN npm i -g pnpm@10
WORKDIR /workspace
COPY . .
RUN pnpm install --frozen-lockfile \
  && bash scripts/deploy-production.sh /deploy

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=3000 \
  RECON_DATA_DIR=/var/lib/recon
# The app is root's and read-only to `node`; only the data directory (generated secrets, the
# embedded PostgreSQL when DATABASE_URL is unset) is writable. A volume mounted there starts with
# this ownership.
COPY --from=build /deploy /app
RUN mkdir -p /var/lib/recon && chown node:node /var/lib/recon
WORKDIR /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly as PID 1 (no shell, no pnpm): SIGTERM from `docker stop` reaches recon, which
# finishes in-flight requests, saves checkpoints and exits 0.
CMD ["node", "--enable-source-maps", "dist/main.js", "start"]
