// A tiny static file server for the browser tests and examples (Node http, 127.0.0.1 only).
//   startServer({ root, coi }) -> { url, close() }
//   coi: send Cross-Origin-Opener-Policy: same-origin + Cross-Origin-Embedder-Policy: require-corp,
//        so that pages are crossOriginIsolated (SharedArrayBuffer, the threaded build).
//   cors: act as a CDN: Access-Control-Allow-Origin: * and Cross-Origin-Resource-Policy: cross-origin.
//   aliases: { '/cdn/webnn/': 'dist/' } serves a URL prefix from another folder of root.
//   headers: more response headers (e.g. a Content-Security-Policy).
//   log(line): called with "GET /path 200" for every request.
// CLI: node test/browser/server.mjs [--coi] [--port N] [--root DIR]   (serves the repository)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.map': 'application/json', '.ts': 'text/plain; charset=utf-8', '.md': 'text/plain; charset=utf-8',
};

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export function startServer({ root = repoRoot, coi = false, cors = false, aliases = {}, headers: extra = {}, port = 0, log = null } = {}) {
  root = path.resolve(root);
  const server = http.createServer((req, res) => {
    const headers = { 'Cache-Control': 'no-store', ...extra };
    if (coi) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    if (cors) {
      headers['Access-Control-Allow-Origin'] = '*';
      headers['Cross-Origin-Resource-Policy'] = 'cross-origin';
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400, headers).end('bad request');
      return;
    }
    let mapped = pathname;
    for (const [prefix, dir] of Object.entries(aliases)) {
      if (pathname.startsWith(prefix)) mapped = `/${dir}${pathname.slice(prefix.length)}`;
    }
    let file = path.join(root, mapped);
    if (!file.startsWith(root)) {
      res.writeHead(403, headers).end('forbidden');
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { ...headers, Location: `${pathname}/` }).end();
        return;
      }
      file = path.join(file, 'index.html');
    }
    fs.readFile(file, (err, data) => {
      if (log) log(`${req.method} ${pathname} ${err ? 404 : 200}`);
      if (err) {
        // An HTML 404 page, as many servers send: the loader must not take it for wasm.
        res.writeHead(404, { ...headers, 'Content-Type': 'text/html' }).end(`<!doctype html><h1>404 ${pathname}</h1>`);
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address();
      resolve({ url: `http://127.0.0.1:${p}`, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }) });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const { url } = await startServer({
    coi: args.includes('--coi'), port: Number(opt('--port') || 8080), root: opt('--root') || repoRoot,
    log: (l) => console.log(l),
  });
  console.log(`serving ${opt('--root') || repoRoot} at ${url}/ ${args.includes('--coi') ? '(cross-origin isolated: COOP/COEP)' : '(no COOP/COEP: single-threaded build)'}`);
  console.log(`  example: ${url}/examples/web/`);
}
