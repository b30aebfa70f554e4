# syntax=docker/dockerfile:1
# One image for the worker, the API and sim-cloud: docker-compose.yml picks the command.
# Node 24 (maintenance LTS) or 26 (active LTS); 20 reached its end of life on 2026-04-30.
ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary fits the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Compiles to dist/ and writes dist/workflow-bundle.js, which production workers load instead of bundling.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# At most 4 malloc arenas: glibc's default (8 a core) let the worker's threads (the SDK's Rust
# core, Node's) hold some 70 MiB more with 1,000 waiting runs, for no measured speed (README, Benchmarks).
ENV MALLOC_ARENA_MAX=4
WORKDIR /app
# sim-cloud keeps its SQLite file here; a named volume mounted on it inherits the node user's ownership.
RUN mkdir -p /data && chown node:node /data
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
# API, sim-cloud, worker metrics.
EXPOSE 3000 4010 9464
CMD ["node", "dist/worker/main.js"]
