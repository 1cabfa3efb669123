# syntax=docker/dockerfile:1
# Build stage: compile TypeScript, then keep only production dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

# Run stage: Node 24, redis-server for the embedded default, a non-root user.
FROM node:24-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production PORT=3000
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY views ./views
COPY public ./public
COPY locales ./locales
COPY config ./config
RUN mkdir -p /app/var && chown node:node /app/var
USER node
VOLUME ["/app/var"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Node itself is the container's main process, so that `docker stop` (SIGTERM) and Ctrl-C (SIGINT) reach its handlers:
# it stops accepting, finishes the requests under way, stops its loops and the embedded redis-server, and exits 0.
# (Through `npm start` the signal went to npm, which left node to be killed after the stop timeout.)
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
