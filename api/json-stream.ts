/**
 * Writes a JSON document that a use case produces piece by piece: 200 with its content type,
 * each piece as it comes (waiting for the socket when it is full), then the end. A failure
 * once the first piece is sent can no longer become a problem+json answer: the connection is
 * destroyed, so that the client sees a broken body rather than a document that looks complete.
 */
import { once } from 'node:events';
import type { Response } from 'express';

export async function writeJsonStream(res: Response, pieces: AsyncIterable<string>): Promise<void> {
  const iterator = pieces[Symbol.asyncIterator]();
  // The first piece is read before the status is sent, so that a failure before it still answers a problem.
  let next = await iterator.next();
  res.status(200).type('application/json; charset=utf-8');
  try {
    while (!next.done) {
      if (!res.write(next.value)) await once(res, 'drain');
      next = await iterator.next();
    }
    res.end();
  } catch (error) {
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
