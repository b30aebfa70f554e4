import http from 'node:http';

/** Request bodies above this size are refused before any replica sees them (the API's own limits are smaller). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** How long a replica that refused a connection is left out of the rotation. */
const DOWN_FOR_MS = 2_000;

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

export interface Gateway {
  url: string;
  close(): Promise<void>;
}

interface Upstream {
  host: string;
  port: number;
  downUntil: number;
}

/**
 * The cluster's single entry point: a small reverse proxy that spreads requests over the API
 * replicas in turn. A replica that refuses a connection is skipped (the request goes to the
 * next one, its body replayed), so that killing a replica loses no request that had not
 * reached it. Responses stream through unbuffered, Server-Sent Events included; a stream cut
 * by a dying replica ends here too, and its client reconnects with Last-Event-ID to another.
 * It plays the part that Caddy plays in docker-compose.yml and a Service in Kubernetes.
 */
export async function startGateway(options: {
  host: string;
  port: number;
  upstreams: { host: string; port: number }[];
  log?: (line: string) => void;
}): Promise<Gateway> {
  const upstreams: Upstream[] = options.upstreams.map((upstream) => ({ ...upstream, downUntil: 0 }));
  let next = 0;

  function candidates(): Upstream[] {
    const now = Date.now();
    const ordered = upstreams.map((_, index) => upstreams[(next + index) % upstreams.length]!);
    next = (next + 1) % upstreams.length;
    const up = ordered.filter((upstream) => upstream.downUntil <= now);
    // When every replica looks down, try them all anyway: one may be back.
    return up.length > 0 ? up : ordered;
  }

  function forward(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, remaining: Upstream[]): void {
    const upstream = remaining[0];
    if (!upstream) {
      res.writeHead(502, { 'content-type': 'application/problem+json', 'retry-after': '2' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Bad Gateway', status: 502, detail: 'No API replica answered.' }));
      return;
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
    const client = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${String(req.headers['x-forwarded-for'])}, ${client}` : client;
    headers['x-forwarded-proto'] = 'http';
    headers['x-forwarded-host'] = req.headers.host ?? '';
    if (body.length > 0) headers['content-length'] = String(body.length);
    const outgoing = http.request({ host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers });
    let answered = false;
    outgoing.on('response', (incoming) => {
      answered = true;
      const responseHeaders: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(incoming.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) responseHeaders[name] = value;
      res.writeHead(incoming.statusCode ?? 502, responseHeaders);
      // Event streams must reach the client event by event.
      res.flushHeaders();
      incoming.pipe(res);
      incoming.on('error', () => res.destroy());
      incoming.on('close', () => {
        // The replica went away mid-answer (a stream cut short): the client must see the cut.
        if (!incoming.complete) res.destroy();
      });
      res.on('close', () => incoming.destroy());
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) {
        res.destroy();
        return;
      }
      upstream.downUntil = Date.now() + DOWN_FOR_MS;
      // A refused connection reached nobody, and a read changes nothing: the next replica gets
      // the request. Any other write may have been acted on, so it is not sent twice.
      const safeToRepeat = error.code === 'ECONNREFUSED' || req.method === 'GET' || req.method === 'HEAD';
      options.log?.(`gateway: ${upstream.host}:${upstream.port} ${error.code ?? error.message}${safeToRepeat ? '; trying the next replica' : ''}`);
      forward(req, res, body, safeToRepeat ? remaining.slice(1) : []);
    });
    res.on('close', () => {
      if (!res.writableFinished) outgoing.destroy();
    });
    outgoing.end(body);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413, { 'content-type': 'application/problem+json', connection: 'close' });
        res.end(JSON.stringify({ type: 'about:blank', title: 'Content Too Large', status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => forward(req, res, Buffer.concat(chunks), candidates()));
  });
  // Streams are long-lived: no idle timeout on them.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
