import { EventStreamParser } from '../../cli/event-stream';

describe('EventStreamParser', () => {
  it('dispatches an event at each blank line, with its name, data and id', () => {
    const parser = new EventStreamParser();
    expect(parser.push('id: 7\nevent: status\ndata: {"a":1}\n\n')).toEqual([{ event: 'status', data: '{"a":1}', lastEventId: '7' }]);
  });

  it('names an unnamed event "message" and joins its data lines with newlines', () => {
    const parser = new EventStreamParser();
    expect(parser.push('data: one\ndata:two\n\n')).toEqual([{ event: 'message', data: 'one\ntwo', lastEventId: undefined }]);
  });

  it('completes events split anywhere across chunks, CRLF included', () => {
    const parser = new EventStreamParser();
    const text = 'event: status\r\ndata: {"phase":"CUTOVER"}\r\n\r\nevent: end\r\ndata: {}\r\n\r\n';
    const events = [...text].flatMap((char) => parser.push(char));
    expect(events.map((event) => [event.event, event.data])).toEqual([
      ['status', '{"phase":"CUTOVER"}'],
      ['end', '{}'],
    ]);
  });

  it('ignores comments such as heartbeats, and blank lines without data', () => {
    const parser = new EventStreamParser();
    expect(parser.push(': heartbeat\n\n\n: another\n\n')).toEqual([]);
  });

  it('keeps the last event id for the events that follow and for a reconnection', () => {
    const parser = new EventStreamParser();
    const events = parser.push('id: 41\ndata: a\n\ndata: b\n\n');
    expect(events.map((event) => event.lastEventId)).toEqual(['41', '41']);
    expect(parser.lastEventId).toBe('41');
  });

  it('reads the reconnection delay a server asks for, and only as digits', () => {
    const parser = new EventStreamParser();
    parser.push('retry: 2000\n\n');
    expect(parser.retryMs).toBe(2000);
    parser.push('retry: soon\n\n');
    expect(parser.retryMs).toBe(2000);
  });

  it('dispatches a named event that carries no data', () => {
    const parser = new EventStreamParser();
    expect(parser.push('event: end\n\n')).toEqual([{ event: 'end', data: '', lastEventId: undefined }]);
  });

  it('drops a byte order mark at the start of the stream', () => {
    const parser = new EventStreamParser();
    expect(parser.push('\uFEFFdata: x\n\n')).toEqual([{ event: 'message', data: 'x', lastEventId: undefined }]);
  });
});
