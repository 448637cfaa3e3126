import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Serves the web app (web/, built into web/dist) from the Mutua server.
 *
 * - Files of the build are served as they are: hashed files under /assets/
 *   are cached for a year, everything else is revalidated. The build holds
 *   no file named graphql, health or exports, so nothing of the API is
 *   shadowed.
 * - Deep links of the app (`/` and everything under `/c/`, the only prefix
 *   of its routes) answer with index.html, so that a bookmark or a reload of
 *   /c/riverside/home opens the app there. Every other path is left to the
 *   API (/graphql, /health, /exports/...) and its 404s.
 * - Without a build (a checkout where `npm run build:web` has not run) the
 *   app's paths answer 503 with a line saying how to build it.
 */
export const WEB_APP_ROUTE = /^\/(c\/.*)?$/;

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // uPlot positions its legend and cursor with style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** What serveWebApp needs of the server: Nest's express application, or express itself. */
export interface UsesMiddleware {
  use(handler: RequestHandler): unknown;
}

/** `distDir`: the build to serve; left out, web/dist of this checkout; null, none. */
export function serveWebApp(app: UsesMiddleware, distDirOption?: string | null): void {
  const distDir = distDirOption === undefined ? findWebDist() : distDirOption;
  if (distDir === undefined || distDir === null) {
    app.use((req: Request, res: Response, next: NextFunction) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || !WEB_APP_ROUTE.test(req.path)) {
        next();
        return;
      }
      res
        .status(503)
        .type('text/plain')
        .send('The Mutua web app is not built: run `npm run build:web` (npm start does it).\n');
    });
    return;
  }
  const indexFile = join(distDir, 'index.html');
  app.use(
    express.static(distDir, {
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders: (res, path) => {
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader(
          'Cache-Control',
          path.includes(`${join(distDir, 'assets')}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !WEB_APP_ROUTE.test(req.path)) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.sendFile(indexFile);
  });
}

/** web/dist of the checkout this server runs from (from src/ under ts-node, from dist/src/ built). */
export function findWebDist(from = __dirname): string | undefined {
  let dir = from;
  for (let level = 0; level < 6; level += 1) {
    const candidate = join(dir, 'web', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'web', 'package.json'))) {
      return undefined;
    }
    dir = dirname(dir);
  }
  return undefined;
}
