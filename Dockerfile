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
CMD ["pnpm", "start"]
