import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { readBody } from './body.js';

/** A server answering with the length and text of the body readBody returned (or the error code), after `delayMs`. */
async function server(limit: number, delayMs = 0): Promise<{ port: number; close(): void }> {
  const s = http.createServer((req, res) => {
    setTimeout(() => {
      readBody(req, limit).then(
        (b) => res.end(`${b.length}:${b.toString()}`),
        (e: { status?: { code?: number } }) => res.end(`error ${e.status?.code}`),
      );
    }, delayMs);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { port: (s.address() as net.AddressInfo).port, close: () => s.close() };
}

/** Sends raw request bytes in pieces (with pauses between them) on one connection; resolves with the response body. */
function raw(port: number, pieces: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let out = '';
    sock.on('data', (d) => {
      out += d;
      const i = out.indexOf('\r\n\r\n');
      const m = /content-length: (\d+)/i.exec(out);
      if (i >= 0 && m && out.length >= i + 4 + Number(m[1])) {
        sock.destroy();
        resolve(out.slice(i + 4));
      }
    });
    sock.on('error', reject);
    let k = 0;
    const next = () => {
      if (k < pieces.length) sock.write(pieces[k++]!, () => setTimeout(next, 20));
    };
    next();
  });
}

describe('readBody', () => {
  const servers: Array<{ close(): void }> = [];
  after(() => servers.forEach((s) => s.close()));
  for (const delayMs of [0, 50]) {
    it(`reads bodies whole or in pieces, empty or chunked (handler after ${delayMs} ms)`, async () => {
      const s = await server(100, delayMs);
      servers.push(s);
      const post = (extra: string, body: string) => `POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${extra}\r\n${body}`;
      assert.equal(await raw(s.port, [post('Content-Length: 5\r\n', 'hello')]), '5:hello');
      assert.equal(await raw(s.port, [post('Content-Length: 0\r\n', '')]), '0:');
      assert.equal(await raw(s.port, [post('Content-Length: 10\r\n', 'hello'), 'world']), '10:helloworld');
      assert.equal(await raw(s.port, [post('Transfer-Encoding: chunked\r\n', '5\r\nhello\r\n'), '3\r\nabc\r\n0\r\n\r\n']), '8:helloabc');
      assert.equal(await raw(s.port, [post('Content-Length: 101\r\n', 'x'.repeat(101))]), 'error 413');
      assert.equal(await raw(s.port, [post('Transfer-Encoding: chunked\r\n', `65\r\n${'x'.repeat(101)}\r\n0\r\n\r\n`)]), 'error 413');
    });
  }
});
