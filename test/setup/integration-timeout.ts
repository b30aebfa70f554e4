// Integration tests drive real servers: their hooks and tests get two minutes, not jest's 5 s.
jest.setTimeout(120_000);
