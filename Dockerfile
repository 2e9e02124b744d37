# tweetload itself, for Docker users who would rather not install Node:
#   docker build -t tweetload .
#   docker run --rm tweetload --help
# `docker compose --profile load up tweetload` runs `tweetload start` against the three
# PostGIS services of docker-compose.yml. The embedded clusters are left out of the image
# (optional dependency): in a container the databases are the compose services or any URL.

# Pinned to the Node release the project is tested with; bump both together.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: prepare would build before src/ is here, and nothing else needs one.
RUN npm ci --ignore-scripts --no-audit --no-fund --omit=optional
COPY tsconfig.json tsconfig.build.json ./
COPY tools ./tools
COPY src ./src
RUN npm run build && npm prune --omit=dev --omit=optional --ignore-scripts

FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production
# lbzip2 decodes the .bz2 members of the Twitter Stream Grab on every core, about twice
# the JavaScript decoder's speed per core (README, "bzip2").
RUN apt-get update \
  && apt-get install -y --no-install-recommends lbzip2 \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json ./
COPY bin ./bin
COPY services ./services
COPY sql ./sql
COPY expected ./expected
COPY data ./data
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The app stays root-owned and read-only; the load runs as the image's unprivileged user,
# in its home, where reject files (rejects/) can be written.
USER node
WORKDIR /home/node
ENTRYPOINT ["node", "/app/bin/tweetload.js"]
CMD ["--help"]
