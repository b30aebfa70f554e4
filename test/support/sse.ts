/** One frame of a Server-Sent Events stream: an event, or a comment such as `: heartbeat`. */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comment?: string;
}

function parseFrame(block: string): SseFrame {
  const frame: SseFrame = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      frame.comment = line.slice(1).trim();
      continue;
    }
    const separator = line.indexOf(':');
    const field = separator < 0 ? line : line.slice(0, separator);
    const value = separator < 0 ? '' : line.slice(separator + 1).replace(/^ /, '');
    if (field === 'id' || field === 'event' || field === 'retry') frame[field] = value;
    if (field === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
  }
  return frame;
}

/** An open event stream: frames as they arrive, and a way to hang up. */
export interface SseStream {
  status: number;
  headers: Headers;
  /** The body of an answer that is not an event stream (a problem). */
  body?: string;
  /** Waits until `predicate` holds for the frames received so far (or the stream ends); returns them all. */
  until(predicate: (frames: SseFrame[]) => boolean, timeoutMs?: number): Promise<SseFrame[]>;
  /** True once the server closed the stream. */
  readonly ended: boolean;
  close(): void;
}

/** Opens `url` as an event stream with the given headers (fetch, so that Authorization can be sent). */
export async function openEventStream(url: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const isStream = response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
  const body = isStream ? undefined : await response.text();
  const frames: SseFrame[] = [];
  let ended = false;
  let notify: () => void = () => undefined;
  const pump = (async () => {
    if (!response.body || !isStream) {
      ended = true;
      return;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as ReadableStream<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          frames.push(parseFrame(buffer.slice(0, boundary)));
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
        }
        notify();
      }
    } catch {
      // aborted by close()
    }
    ended = true;
    notify();
  })();
  return {
    status: response.status,
    headers: response.headers,
    body,
    get ended() {
      return ended;
    },
    async until(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(frames) && !ended) {
        if (Date.now() > deadline) throw new Error(`the stream never matched; frames so far: ${JSON.stringify(frames)}`);
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, 100);
        });
      }
      return [...frames];
    },
    close() {
      controller.abort();
      void pump;
    },
  };
}

/** The `status` and `end` events of a list of frames, without comments and the `retry` frame. */
export function eventsOf(frames: SseFrame[]): SseFrame[] {
  return frames.filter((frame) => frame.event !== undefined);
}
