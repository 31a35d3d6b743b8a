# recon's runtime image: the pnpm workspace run from source with tsx (there is no build step).
# Used by docker-compose.yml; configure with DATABASE_URL and, for EventStoreDB, EVENTSTORE_URL.
FROM node:20-bookworm

RUN npm i -g pnpm@10

WORKDIR /app
RUN chown node:node /app
USER node

COPY --chown=node:node . .
RUN pnpm install --frozen-lockfile

EXPOSE 3000
# node directly as PID 1 (not `pnpm start`): pnpm does not pass SIGTERM on, so `docker stop`
# would kill recon without its graceful shutdown.
CMD ["node", "--import", "tsx", "packages/cli/src/main.ts", "start"]
