# syntax=docker/dockerfile:1
# helm-triage: one image, two roles.
#   docker run IMAGE                         → `serve` (Slack bot + web pages on $PORT, default 3000)
#   docker run IMAGE agent --cluster NAME    → read-only check agent for one cluster
# Runs as uid 10001 on a read-only root filesystem (writes only under /tmp).
# Node 22 LTS by default; the app also runs on Node >= 20.19:
#   docker build --build-arg NODE_IMAGE=node:20-bookworm-slim .
ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: install from the lockfile, compile TypeScript, then drop dev dependencies ----
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (tsc) needs the sources, which are copied after this cached layer.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build validates the playbooks and snapshots them next to dist/ (fast CLI start; see src/playbooks/snapshot.ts).
COPY playbooks ./playbooks
# The build also bundles the CLI that bin/helm-triage.js runs (dist/cli-bundle/, esbuild; fast start).
COPY scripts/bundle-cli.ts ./scripts/
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
RUN groupadd --system --gid 10001 helm-triage \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin helm-triage
# Files stay owned by root: the app cannot modify its own code even where the filesystem is writable.
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
COPY bin ./bin
# From the build stage: the snapshot in dist/ records these files' sizes and times.
COPY --from=build /src/playbooks ./playbooks
USER 10001:10001
EXPOSE 3000
# Meaningful for `serve`; the agent has no HTTP port (docker-compose.yml disables it there).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/helm-triage.js"]
CMD ["serve"]
