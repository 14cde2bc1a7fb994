// The limit for tests/bench/static-pages.measure.ts: a bare node:http server sending the
// same bytes from memory, with no headers beyond type, length and encoding.
// Environment: QALA_RAW_FILES = JSON { "/path": { "type": …, "identity": file, "br": file, "gzip": file } }.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const pages = new Map();
for (const [path, page] of Object.entries(JSON.parse(process.env.QALA_RAW_FILES ?? '{}'))) {
  const body = (file) => (file ? readFileSync(file) : undefined);
  pages.set(path, { type: page.type, identity: body(page.identity), br: body(page.br), gzip: body(page.gzip) });
}

const server = createServer((request, response) => {
  const page = pages.get(request.url);
  if (!page) return response.writeHead(404).end();
  const accepted = request.headers['accept-encoding'] ?? '';
  const coding = page.br && accepted.includes('br') ? 'br' : page.gzip && accepted.includes('gzip') ? 'gzip' : 'identity';
  const body = page[coding];
  const headers = { 'Content-Type': page.type, 'Content-Length': body.length };
  if (coding !== 'identity') headers['Content-Encoding'] = coding;
  response.writeHead(200, headers);
  response.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
