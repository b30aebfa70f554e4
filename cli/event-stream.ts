/**
 * A parser of `text/event-stream` (WHATWG HTML, "Server-sent events"), fed chunk by chunk.
 * EventSource cannot send an `Authorization` header, so the dashboard and the command line read
 * the stream with fetch() and parse it here. No Node built-ins: the dashboard bundles this file.
 */

/** One dispatched event. `event` is `message` unless the stream named it. */
export interface ServerSentEvent {
  event: string;
  data: string;
  /** The stream's last event id when this event was dispatched (what `Last-Event-ID` resends). */
  lastEventId: string | undefined;
}

/** Incremental parser: `push` text as it arrives and get back the events it completed. */
export class EventStreamParser {
  private buffer = '';
  private dataLines: string[] = [];
  private eventType = '';
  private started = false;
  /** The last `id:` seen, kept across events as the specification says. */
  lastEventId: string | undefined;
  /** The reconnection delay the server asked for with `retry:`, in milliseconds. */
  retryMs: number | undefined;

  push(chunk: string): ServerSentEvent[] {
    this.buffer += chunk;
    if (!this.started && this.buffer.length > 0) {
      this.started = true;
      if (this.buffer.startsWith('\uFEFF')) this.buffer = this.buffer.slice(1);
    }
    const events: ServerSentEvent[] = [];
    let lineStart = 0;
    for (let index = 0; index < this.buffer.length; index += 1) {
      const char = this.buffer[index];
      if (char !== '\n' && char !== '\r') continue;
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (char === '\r' && index === this.buffer.length - 1) break;
      const line = this.buffer.slice(lineStart, index);
      if (char === '\r' && this.buffer[index + 1] === '\n') index += 1;
      lineStart = index + 1;
      const event = this.processLine(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(lineStart);
    return events;
  }

  private processLine(line: string): ServerSentEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.dataLines.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    const eventType = this.eventType;
    const dataLines = this.dataLines;
    this.eventType = '';
    this.dataLines = [];
    // The specification drops an event without data; `end` may come bare, so keep named events.
    if (dataLines.length === 0 && eventType === '') return undefined;
    return { event: eventType || 'message', data: dataLines.join('\n'), lastEventId: this.lastEventId };
  }
}
