/**
 * Reads a `text/event-stream` (WHATWG HTML, "Server-sent events") chunk by chunk, on the
 * maintained eventsource-parser. EventSource cannot send an `Authorization` header, so the
 * dashboard and the command line read the stream with fetch() and parse it here. No Node
 * built-ins: the dashboard bundles this file.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One dispatched event. `event` is `message` unless the stream named it. */
export interface ServerSentEvent {
  event: string;
  data: string;
  /** The stream's last event id when this event was dispatched (what `Last-Event-ID` resends). */
  lastEventId: string | undefined;
}

/** Incremental parser: `push` bytes as they arrive and get back the events they completed. */
export class EventStreamParser {
  private completed: ServerSentEvent[] = [];
  /** UTF-8, as the stream must be; it drops a leading byte order mark and waits for split characters. */
  private readonly decoder = new TextDecoder();
  private readonly parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      // The last event id outlives the event that set it, as the specification says.
      if (message.id !== undefined) this.lastEventId = message.id;
      this.completed.push({ event: message.event ?? 'message', data: message.data, lastEventId: this.lastEventId });
    },
    onRetry: (retryMs: number) => {
      this.retryMs = retryMs;
    },
  });

  /** The last `id:` seen, kept across events. */
  lastEventId: string | undefined;
  /** The reconnection delay the server asked for with `retry:`, in milliseconds. */
  retryMs: number | undefined;

  push(chunk: Uint8Array): ServerSentEvent[] {
    this.parser.feed(this.decoder.decode(chunk, { stream: true }));
    const events = this.completed;
    this.completed = [];
    return events;
  }
}
