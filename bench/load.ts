/**
 * A lean HTTPS/1.1 load generator for benchmarks: N keep-alive TLS connections with the admin
 * client certificate, each sending one request at a time and parsing only the status line and
 * Content-Length (or chunked end), so the client costs far less CPU than node:https and the
 * figure reflects the server.
 */
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export interface LoadTarget {
  host: string;
  port: number;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export function targetFromKubeconfig(path: string): LoadTarget {
  const kc = parseYaml(readFileSync(path, 'utf8'));
  const u = new URL(kc.clusters[0].cluster.server);
  const user = kc.users[0].user;
  return {
    host: u.hostname,
    port: Number(u.port),
    ca: Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64'),
    cert: Buffer.from(user['client-certificate-data'], 'base64'),
    key: Buffer.from(user['client-key-data'], 'base64'),
  };
}

export interface Connection {
  /** Sends one request; resolves with the status and total response bytes when it is complete. */
  send(method: string, path: string, body?: string): Promise<{ status: number; bytes: number }>;
  close(): void;
}

export async function connect(t: LoadTarget): Promise<Connection> {
  const sock = tls.connect({ host: t.host, port: t.port, ca: t.ca, cert: t.cert, key: t.key, servername: 'localhost' });
  await new Promise<void>((resolve, reject) => {
    sock.once('secureConnect', resolve);
    sock.once('error', reject);
  });
  sock.setNoDelay(true);
  let pending: { resolve: (r: { status: number; bytes: number }) => void; reject: (e: Error) => void } | null = null;
  // Response parsing: the head is read from the accumulated bytes; the body is only counted.
  let head: Buffer = Buffer.alloc(0);
  let need = -1; // total bytes of the current response once the head is known
  let have = 0;
  let status = 0;
  let chunked = false;
  let tail: Buffer = Buffer.alloc(0); // last bytes, to find the end of a chunked body
  const finish = (extra: Buffer) => {
    const p = pending;
    pending = null;
    const bytes = need;
    need = -1;
    have = 0;
    head = Buffer.alloc(0);
    tail = Buffer.alloc(0);
    p?.resolve({ status, bytes });
    if (extra.length) onData(extra);
  };
  const onData = (d: Buffer) => {
    if (need < 0) {
      head = head.length ? Buffer.concat([head, d]) : d;
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const text = head.subarray(0, end).toString('latin1');
      status = Number(text.slice(9, 12));
      const m = /\r\ncontent-length: *(\d+)/i.exec(text);
      chunked = !m && /\r\ntransfer-encoding: *chunked/i.test(text);
      need = chunked ? Number.MAX_SAFE_INTEGER : end + 4 + (m ? Number(m[1]) : 0);
      d = head;
      head = Buffer.alloc(0);
      have = 0;
    }
    if (chunked) {
      tail = Buffer.concat([tail, d]).subarray(-64);
      have += d.length;
      const term = tail.indexOf('\r\n0\r\n\r\n');
      if (term >= 0) {
        need = have;
        finish(Buffer.alloc(0));
      }
      return;
    }
    if (have + d.length < need) {
      have += d.length;
      return;
    }
    const used = need - have;
    have = need;
    finish(d.subarray(used));
  };
  sock.on('data', onData);
  sock.on('error', (e) => pending?.reject(e));
  const prefix = `Host: ${t.host}:${t.port}\r\nAccept: application/json\r\n`;
  return {
    send(method, path, body) {
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        const b = body ?? '';
        sock.write(
          `${method} ${path} HTTP/1.1\r\n${prefix}${body !== undefined ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(b)}\r\n` : ''}\r\n${b}`,
        );
      });
    },
    close() {
      sock.destroy();
    },
  };
}
