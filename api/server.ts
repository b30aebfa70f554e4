import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';

/** A listening API: its server and the URL it answers at. */
export interface RunningServer {
  server: Server;
  url: string;
}

/**
 * Listens on `host:port` (port 0: a free port, as tests use it) and resolves once listening; a
 * port in use is refused with a message that names the variable to change.
 */
export async function startServer(app: express.Express, options: { port: number; host?: string } = { port: 0 }): Promise<RunningServer> {
  const server = app.listen(options.port, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${options.port} is already in use (set API_PORT to another port).`) : error),
    );
  });
  return { server, url: serverUrl(server) };
}

/** The URL a listening server answers at, as `http://host:port`. */
export function serverUrl(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/**
 * Stops listening and resolves once every connection is closed: idle ones at once, open
 * streams (SSE) after `graceMs`.
 */
export async function stopServer(server: Server, graceMs = 0): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}
