# Mutua server image: built with the development dependencies, run with the
# production ones only. It has no TypeScript and no embedded PostgreSQL: set
# DATABASE_URL (docker-compose.yml does).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY web/package.json web/
# --omit=optional too: TypeScript, ts-node and SWC are optional peers of
# TypeORM, so --omit=dev alone would keep them. --workspaces=false: the web
# app is served as built files, its packages are not needed.
RUN npm ci --omit=dev --omit=optional --workspaces=false --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY package.json ./
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
