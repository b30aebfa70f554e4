// Sends large bodies to the API from a process of its own, so that the probes of the test
// process measure the API, not the attacker. Reads its orders from ATTACK (JSON), prints the
// statuses it got as one JSON line when DURATION_MS have passed.
const { apiUrl, attacks, durationMs, concurrency } = JSON.parse(process.env.ATTACK);

const bodies = new Map();
function bodyOf(kind, bytes) {
  const key = `${kind}:${bytes}`;
  if (!bodies.has(key)) {
    // `[0,0,…]`: the cheapest bytes for the most JSON values.
    const zeros = '0,'.repeat(Math.floor((bytes - 20) / 2));
    bodies.set(key, kind === 'plan' ? `{"workloads":[${zeros}0]}` : `[${zeros}0]`);
  }
  return bodies.get(key);
}

async function send(attack) {
  const body = bodyOf(attack.kind, attack.bytes);
  const headers = { 'content-type': 'application/json', ...(attack.token ? { authorization: `Bearer ${attack.token}` } : {}), ...attack.headers };
  const init = { method: 'POST', headers, body };
  if (attack.chunked) {
    const bytes = new TextEncoder().encode(body);
    init.body = new ReadableStream({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 1 << 20) controller.enqueue(bytes.subarray(at, at + (1 << 20)));
        controller.close();
      },
    });
    init.duplex = 'half';
  }
  try {
    const response = await fetch(`${apiUrl}${attack.path}`, init);
    await response.arrayBuffer();
    return String(response.status);
  } catch (error) {
    // The server may close the connection once it has answered, before the body is sent.
    return error.cause?.code ?? 'closed';
  }
}

const statuses = {};
const until = Date.now() + durationMs;
await Promise.all(
  attacks.flatMap((attack) =>
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        const status = await send(attack);
        statuses[attack.name] ??= {};
        statuses[attack.name][status] = (statuses[attack.name][status] ?? 0) + 1;
      }
    }),
  ),
);
process.stdout.write(`${JSON.stringify(statuses)}\n`);
