import { EventStreamParser } from '../../client/event-stream';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('EventStreamParser', () => {
  it('dispatches an event at each blank line, with its name, data and id', () => {
    const parser = new EventStreamParser();
    expect(parser.push(bytes('id: 7\nevent: status\ndata: {"a":1}\n\n'))).toEqual([{ event: 'status', data: '{"a":1}', lastEventId: '7' }]);
  });

  it('names an unnamed event "message" and joins its data lines with newlines', () => {
    const parser = new EventStreamParser();
    expect(parser.push(bytes('data: one\ndata:two\n\n'))).toEqual([{ event: 'message', data: 'one\ntwo', lastEventId: undefined }]);
  });

  it('completes events split anywhere across chunks, CRLF and multi-byte characters included', () => {
    const parser = new EventStreamParser();
    const stream = bytes('event: status\r\ndata: {"phase":"CUTOVER","name":"Hôpital"}\r\n\r\nevent: end\r\ndata: {}\r\n\r\n');
    const events = [...stream].flatMap((byte) => parser.push(Uint8Array.of(byte)));
    expect(events.map((event) => [event.event, event.data])).toEqual([
      ['status', '{"phase":"CUTOVER","name":"Hôpital"}'],
      ['end', '{}'],
    ]);
  });

  it('ignores comments such as heartbeats, and blank lines without data', () => {
    const parser = new EventStreamParser();
    expect(parser.push(bytes(': heartbeat\n\n\n: another\n\n'))).toEqual([]);
  });

  it('keeps the last event id for the events that follow and for a reconnection', () => {
    const parser = new EventStreamParser();
    const events = parser.push(bytes('id: 41\ndata: a\n\ndata: b\n\n'));
    expect(events.map((event) => event.lastEventId)).toEqual(['41', '41']);
    expect(parser.lastEventId).toBe('41');
  });

  it('reads the reconnection delay a server asks for, and only as digits', () => {
    const parser = new EventStreamParser();
    parser.push(bytes('retry: 2000\n\n'));
    expect(parser.retryMs).toBe(2000);
    parser.push(bytes('retry: soon\n\n'));
    expect(parser.retryMs).toBe(2000);
  });

  it('drops an event that carries no data, as browsers do (the API’s `end` always has data)', () => {
    const parser = new EventStreamParser();
    expect(parser.push(bytes('event: end\n\n'))).toEqual([]);
    expect(parser.push(bytes('event: end\ndata: {"status":"COMPLETED"}\n\n'))).toEqual([
      { event: 'end', data: '{"status":"COMPLETED"}', lastEventId: undefined },
    ]);
  });

  it('drops a byte order mark at the start of the stream', () => {
    const parser = new EventStreamParser();
    expect(parser.push(Uint8Array.of(0xef, 0xbb, 0xbf, ...bytes('data: x\n\n')))).toEqual([{ event: 'message', data: 'x', lastEventId: undefined }]);
  });
});
