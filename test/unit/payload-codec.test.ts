import { randomBytes } from 'node:crypto';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { failureConverter } from '../../codec/data-converter';
import {
  AesGcmPayloadCodec,
  CodecKeyError,
  COMPRESSION_METADATA_KEY,
  ENCRYPTED_ENCODING,
  generateCodecKey,
  KEY_ID_METADATA_KEY,
  parseCodecKeys,
  PayloadDecryptionError,
} from '../../codec/payload-codec';

const plan = { customer: { id: 'ght-rhone-nord', name: 'GHT Rhône Nord' }, workloads: [{ id: 'dpi', name: 'Dossier patient informatisé' }] };

function payloadOf(value: unknown): Payload {
  return defaultPayloadConverter.toPayload(value);
}

function text(bytes: Uint8Array | null | undefined): string {
  return Buffer.from(bytes ?? []).toString('utf8');
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const keyA = generateCodecKey('2027-01');
const keyB = generateCodecKey('2027-07');

describe('the AES-256-GCM payload codec', () => {
  it('round-trips payloads, metadata included', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(keyA));
    const original = [payloadOf(plan), payloadOf(null), payloadOf(undefined), { metadata: { encoding: Buffer.from('binary/plain') }, data: new Uint8Array([0, 1, 255]) }];
    const decoded = await codec.decode(await codec.encode(original));
    expect(decoded.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual([plan, null, undefined, new Uint8Array([0, 1, 255])]);
  });

  it('writes ciphertext that names its key and holds none of the plaintext', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(keyA));
    const [encoded] = await codec.encode([payloadOf(plan)]);
    expect(text(encoded?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded?.metadata?.[KEY_ID_METADATA_KEY])).toBe('2027-01');
    const stored = JSON.stringify(encoded) + Buffer.from(encoded?.data ?? []).toString('latin1');
    for (const secret of ['Dossier patient', 'ght-rhone-nord', 'json/plain']) expect(stored).not.toContain(secret);
  });

  it('compresses large payloads before encrypting them, and reads them back', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(keyA));
    const large = { steps: Array.from({ length: 2000 }, (_, index) => ({ id: `cutover.wave-1.w${index}.replicate`, state: 'SUCCEEDED' })) };
    const [encoded] = await codec.encode([payloadOf(large)]);
    expect(text(encoded?.metadata?.[COMPRESSION_METADATA_KEY])).toBe('deflate-raw');
    expect(encoded!.data!.length).toBeLessThan(payloadOf(large).data!.length / 5);
    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(large);
  });

  it('refuses a compressed payload whose compression flag was removed from the metadata', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(keyA));
    const [encoded] = await codec.encode([payloadOf({ text: 'x'.repeat(5000) })]);
    const { [COMPRESSION_METADATA_KEY]: _flag, ...metadata } = encoded!.metadata!;
    expect(await rejection(codec.decode([{ ...encoded!, metadata }]))).toBeInstanceOf(PayloadDecryptionError);
  });

  it('never encrypts the same payload to the same ciphertext', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(keyA));
    const [first, second] = await codec.encode([payloadOf(plan), payloadOf(plan)]);
    expect(Buffer.from(first?.data ?? []).equals(Buffer.from(second?.data ?? []))).toBe(false);
  });

  it('refuses a payload whose ciphertext was altered (GCM authentication)', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(keyA));
    const [encoded] = await codec.encode([payloadOf(plan)]);
    const data = Buffer.from(encoded!.data!);
    data[20] = (data[20] ?? 0) ^ 0x01;
    const error = await rejection(codec.decode([{ ...encoded, data }]));
    expect(error).toBeInstanceOf(PayloadDecryptionError);
    expect((error as Error).message).toMatch(/failed authentication/);
  });

  it('refuses a payload moved under another key id, even one it holds', async () => {
    const ring = parseCodecKeys(`${keyA},2027-07:${keyA.split(':')[1]}`);
    const codec = new AesGcmPayloadCodec(ring);
    const [encoded] = await codec.encode([payloadOf(plan)]);
    const moved = { ...encoded, metadata: { ...encoded?.metadata, [KEY_ID_METADATA_KEY]: Buffer.from('2027-07') } };
    expect(await rejection(codec.decode([moved]))).toBeInstanceOf(PayloadDecryptionError);
  });

  it('refuses a payload under a key it does not hold, naming the key id only', async () => {
    const [encoded] = await new AesGcmPayloadCodec(parseCodecKeys(keyA)).encode([payloadOf(plan)]);
    const error = await rejection(new AesGcmPayloadCodec(parseCodecKeys(keyB)).decode([encoded!]));
    expect(error).toBeInstanceOf(PayloadDecryptionError);
    expect((error as Error).message).toContain('"2027-01"');
    expect((error as Error).message).not.toContain(keyA.split(':')[1]);
  });

  it('still reads what an old key wrote after rotation, and writes under the new current key', async () => {
    const [old] = await new AesGcmPayloadCodec(parseCodecKeys(keyA)).encode([payloadOf(plan)]);
    const rotated = new AesGcmPayloadCodec(parseCodecKeys(`${keyB},${keyA}`));
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([old!]))[0]!)).toEqual(plan);
    const [fresh] = await rotated.encode([payloadOf(plan)]);
    expect(text(fresh?.metadata?.[KEY_ID_METADATA_KEY])).toBe('2027-07');
    expect(rotated.currentKeyId).toBe('2027-07');
  });

  it('passes through payloads written before encryption was turned on', async () => {
    const plain = payloadOf(plan);
    expect(await new AesGcmPayloadCodec(parseCodecKeys(keyA)).decode([plain])).toEqual([plain]);
  });
});

describe('PASSERELLE_CODEC_KEYS', () => {
  const material = randomBytes(32);

  it('takes the first key as the current one and accepts base64url', () => {
    const ring = parseCodecKeys(`new:${material.toString('base64url')}, old:${randomBytes(32).toString('base64')}`);
    expect(ring.current.id).toBe('new');
    expect(ring.current.key.equals(material)).toBe(true);
    expect(ring.keys.map(({ id }) => id)).toEqual(['new', 'old']);
  });

  it.each([
    ['an empty list', '', /no key given/],
    ['a key without an id', `:${material.toString('base64')}`, /key 1: expected id:base64key/],
    ['an id with a space', `bad id:${material.toString('base64')}`, /key 1/],
    ['a key that is not base64', 'k1:not*base64', /k1: the key is not base64/],
    ['a 16-byte key', `k1:${randomBytes(16).toString('base64')}`, /k1: must be 32 bytes \(got 16\)/],
    ['the same id twice', `k1:${material.toString('base64')},k1:${randomBytes(32).toString('base64')}`, /k1 is listed twice/],
  ])('refuses %s, saying why without quoting the key', (_label, value, reason) => {
    let error: unknown;
    try {
      parseCodecKeys(value);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CodecKeyError);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).not.toContain(material.toString('base64'));
  });
});

describe('the failure converter', () => {
  it('moves failure messages and stack traces into a payload, for the codec to encrypt', () => {
    const failure = failureConverter.errorToFailure(
      ApplicationFailure.create({ message: 'Workload Dossier patient informatisé failed', type: 'CheckFailedError' }),
      defaultPayloadConverter,
    );
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    expect(text(failure.encodedAttributes?.data)).toContain('Dossier patient');
    expect(failureConverter.failureToError(failure, defaultPayloadConverter).message).toBe('Workload Dossier patient informatisé failed');
  });
});
