# weir in a container. The build runs the commands CI runs (.ci/run): `npm ci`, then the build
# `npm test` starts with (`npm run build`); the image then drops the dev dependencies.
#   docker build -t weir .
#   docker run -p 6875:6875 -v weir-data:/data weir
# docker-compose.yml runs it beside Apache Kafka.
# No engine here to build it: scripts/docker-rehearsal.sh replays this file's steps (README.md,
# "Kafka, with Docker"), parsed with BuildKit's parser, so keep to what it models.

FROM node:20-bookworm AS build
WORKDIR /weir
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /weir
COPY --from=build /weir/package.json /weir/package-lock.json ./
COPY --from=build /weir/bin ./bin
COPY --from=build /weir/dist ./dist
COPY --from=build /weir/node_modules ./node_modules
VOLUME /data
EXPOSE 6875
CMD ["node", "--max-semi-space-size=64", "bin/weir.js", "serve", "--host", "0.0.0.0", "--data-dir", "/data"]
