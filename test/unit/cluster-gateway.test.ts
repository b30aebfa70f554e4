import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Gateway, startGateway } from '../../scripts/lib/gateway';
import { findFreePort } from '../../scripts/lib/processes';

/** A replica stand-in: answers with its name and counts the requests it saw. */
async function startReplica(name: string, handler?: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${String(req.headers['x-forwarded-for'])}`);
    if (handler) return handler(req, res);
    req.resume();
    req.on('end', () => res.end(name));
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return { server, seen, port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe('the cluster gateway', () => {
  it('spreads requests over the replicas in turn and names the client in X-Forwarded-For', async () => {
    const [a, b] = [await startReplica('a'), await startReplica('b')];
    gateway = await startGateway({ host: '127.0.0.1', port: 0, upstreams: [a, b].map(({ port }) => ({ host: '127.0.0.1', port })) });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await (await fetch(`${gateway.url}/v1/x`)).text());
    expect(answers.sort()).toEqual(['a', 'a', 'b', 'b']);
    expect(a.seen[0]).toBe('GET /v1/x 127.0.0.1');
    await Promise.all([a.close(), b.close()]);
  });

  it('sends a request, body included, to the next replica when one refuses the connection', async () => {
    const alive = await startReplica('alive', (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.end(`alive got ${body}`));
    });
    const refused = await findFreePort();
    gateway = await startGateway({ host: '127.0.0.1', port: 0, upstreams: [{ host: '127.0.0.1', port: refused }, { host: '127.0.0.1', port: alive.port }] });
    for (let i = 0; i < 2; i++) {
      const answer = await fetch(`${gateway.url}/v1/migrations`, { method: 'POST', body: '{"planId":"p"}' });
      expect(await answer.text()).toBe('alive got {"planId":"p"}');
    }
    await alive.close();
  });

  it('does not send a write twice when the replica dies after receiving it, and says 502', async () => {
    const dying = await startReplica('dying', (req) => req.socket.destroy());
    const other = await startReplica('other');
    gateway = await startGateway({ host: '127.0.0.1', port: 0, upstreams: [dying, other].map(({ port }) => ({ host: '127.0.0.1', port })) });
    const answer = await fetch(`${gateway.url}/v1/migrations/r/approvals/rssi`, { method: 'POST', body: '{}' });
    expect(answer.status).toBe(502);
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(other.seen).toEqual([]);
    await Promise.all([dying.close(), other.close()]);
  });

  it('streams events as they come, and cuts the client off when the replica goes away mid-stream', async () => {
    let send: (text: string) => void = () => undefined;
    let cut: () => void = () => undefined;
    const streaming = await startReplica('stream', (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      send = (text) => res.write(text);
      cut = () => req.socket.destroy();
    });
    gateway = await startGateway({ host: '127.0.0.1', port: 0, upstreams: [{ host: '127.0.0.1', port: streaming.port }] });
    const url = `${gateway.url}/v1/migrations/r/events`;
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(url, resolve).on('error', reject));
    expect(response.headers['content-type']).toBe('text/event-stream');
    const received: string[] = [];
    const closed = new Promise<boolean>((resolve) => response.on('close', () => resolve(response.complete)));
    const firstChunk = new Promise<void>((resolve) => response.once('data', () => resolve()));
    response.on('data', (chunk: Buffer) => received.push(chunk.toString()));
    send('id: 1\nevent: status\ndata: {}\n\n');
    await firstChunk;
    expect(received.join('')).toBe('id: 1\nevent: status\ndata: {}\n\n');
    cut();
    // The client sees an incomplete answer, as a browser's EventSource would, and reconnects.
    await expect(closed).resolves.toBe(false);
    await streaming.close();
  });
});
