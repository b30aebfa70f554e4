/**
 * AES-256-GCM encryption of every payload Passerelle writes to Temporal: plans, statuses,
 * decisions and failure messages stay ciphertext in the server's database, so that a leak of
 * that database or its backups discloses no customer data. Several keys allow rotation: the
 * current key encrypts, any known key decrypts, and each payload names its key in metadata.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';

/** The `encoding` metadata of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata entry that names the key a payload was encrypted with. */
export const KEY_ID_METADATA_KEY = 'encryption-key-id';
/** The metadata entry that names the cipher, so that a later format can sit beside this one. */
export const CIPHER_METADATA_KEY = 'encryption-cipher';
/** The metadata entry that says the plaintext was compressed before encryption. */
export const COMPRESSION_METADATA_KEY = 'encryption-compression';
/** The one compression in use: raw DEFLATE. */
export const COMPRESSION = 'deflate-raw';
/** Payloads smaller than this are not worth compressing. */
const COMPRESSION_THRESHOLD_BYTES = 1024;
/** A decompressed payload larger than this is refused rather than inflated (a forged bomb). */
const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

/** The cipher of {@link AesGcmPayloadCodec}. */
export const CIPHER = 'AES-256-GCM';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FRAME_HEADER_BYTES = 4;

/** Key ids: short, URL-safe, never secret (they are stored in clear beside every payload). */
export const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** One encryption key and the id that payloads carry to find it again. */
export interface CodecKey {
  id: string;
  key: Buffer;
}

/** The keys a process knows: `current` encrypts, every key of `keys` (current included) decrypts. */
export interface CodecKeyRing {
  current: CodecKey;
  keys: readonly CodecKey[];
}

/** A key list that cannot be used; the message says what is wrong without printing any key. */
export class CodecKeyError extends Error {
  override readonly name = 'CodecKeyError';
}

/** A payload that cannot be decrypted: an unknown key, or data that fails GCM authentication. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
}

/**
 * Parses `id1:base64key,id2:base64key` (PASSERELLE_CODEC_KEYS): the first key is the current
 * one, the others only decrypt what they once encrypted. Each key is 32 bytes, in base64 or
 * base64url.
 */
export function parseCodecKeys(text: string): CodecKeyRing {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new CodecKeyError('no key given: expected id:base64key[,id:base64key…]');
  const keys = entries.map((entry, index): CodecKey => {
    const separator = entry.indexOf(':');
    const id = separator < 0 ? '' : entry.slice(0, separator);
    const encoded = separator < 0 ? '' : entry.slice(separator + 1);
    if (!KEY_ID_PATTERN.test(id)) {
      throw new CodecKeyError(`key ${index + 1}: expected id:base64key with an id of letters, digits, ".", "_" or "-"`);
    }
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) throw new CodecKeyError(`key ${id}: the key is not base64`);
    const key = Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64');
    if (key.length !== KEY_BYTES) throw new CodecKeyError(`key ${id}: must be ${KEY_BYTES} bytes (got ${key.length})`);
    return { id, key };
  });
  const ids = new Set<string>();
  for (const { id } of keys) {
    if (ids.has(id)) throw new CodecKeyError(`key ${id} is listed twice`);
    ids.add(id);
  }
  return { current: keys[0]!, keys };
}

/** A fresh key entry for PASSERELLE_CODEC_KEYS: `id:base64key`. */
export function generateCodecKey(id: string): string {
  if (!KEY_ID_PATTERN.test(id)) throw new CodecKeyError(`invalid key id ${JSON.stringify(id)}`);
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

/**
 * The plaintext that gets encrypted: the original payload's metadata (as JSON with base64
 * values) and data, framed by the metadata's length so that data needs no re-encoding.
 */
function frame(payload: Payload): Buffer {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')]));
  const metadataBytes = Buffer.from(JSON.stringify(metadata), 'utf8');
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUInt32BE(metadataBytes.length);
  return Buffer.concat([header, metadataBytes, Buffer.from(payload.data ?? [])]);
}

function unframe(plaintext: Buffer): Payload {
  const length = plaintext.readUInt32BE(0);
  const metadataText = plaintext.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + length).toString('utf8');
  const metadata = JSON.parse(metadataText) as Record<string, string>;
  return {
    metadata: Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, new Uint8Array(Buffer.from(value, 'base64'))])),
    data: new Uint8Array(plaintext.subarray(FRAME_HEADER_BYTES + length)),
  };
}

/**
 * What GCM authenticates beside the ciphertext: the key id, and the compression flag, so that
 * neither can be changed in the metadata without the payload failing to decrypt.
 */
function additionalData(keyId: string, compressed: boolean): Buffer {
  return Buffer.from(compressed ? `${keyId}\u0000${COMPRESSION}` : keyId, 'utf8');
}

function metadataText(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value ? Buffer.from(value).toString('utf8') : undefined;
}

/**
 * The payload codec of the API's client, the worker and the remote codec endpoint. The key id
 * is also the cipher's additional authenticated data, so that a payload moved under another
 * key id fails to decrypt rather than decrypting under a key it was not meant for.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keysById: ReadonlyMap<string, Buffer>;

  constructor(private readonly ring: CodecKeyRing) {
    this.keysById = new Map(ring.keys.map(({ id, key }) => [id, key]));
  }

  /** The id of the key new payloads are encrypted with. */
  get currentKeyId(): string {
    return this.ring.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.ring.current;
    return payloads.map((payload) => {
      // Compressed before encryption (ciphertext does not compress): a run's status grows with
      // its workloads, and Temporal refuses payloads over 2 MB. Statuses hold no secret that a
      // caller could probe through compressed lengths.
      const framed = frame(payload);
      const deflated = framed.length >= COMPRESSION_THRESHOLD_BYTES ? deflateRawSync(framed) : undefined;
      const compressed = deflated !== undefined && deflated.length < framed.length;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(additionalData(id, compressed));
      const ciphertext = Buffer.concat([cipher.update(compressed ? deflated : framed), cipher.final()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA_KEY]: Buffer.from(id),
          [CIPHER_METADATA_KEY]: Buffer.from(CIPHER),
          ...(compressed ? { [COMPRESSION_METADATA_KEY]: Buffer.from(COMPRESSION) } : {}),
        },
        data: new Uint8Array(Buffer.concat([iv, ciphertext, cipher.getAuthTag()])),
      };
    });
  }

  /** Decrypts encrypted payloads and passes others through (history written before encryption). */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (metadataText(payload, METADATA_ENCODING_KEY) !== ENCRYPTED_ENCODING) return payload;
      const id = metadataText(payload, KEY_ID_METADATA_KEY) ?? '';
      const cipherName = metadataText(payload, CIPHER_METADATA_KEY) ?? CIPHER;
      if (cipherName !== CIPHER) throw new PayloadDecryptionError(`payload uses the unknown cipher ${JSON.stringify(cipherName)}`);
      const compression = metadataText(payload, COMPRESSION_METADATA_KEY);
      if (compression !== undefined && compression !== COMPRESSION) throw new PayloadDecryptionError(`payload uses the unknown compression ${JSON.stringify(compression)}`);
      const key = this.keysById.get(id);
      if (!key) throw new PayloadDecryptionError(`payload was encrypted with key ${JSON.stringify(id)}, which this process does not hold`);
      const data = Buffer.from(payload.data ?? []);
      if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`payload under key ${id} is too short to be ciphertext`);
      let plaintext: Buffer;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
        decipher.setAAD(additionalData(id, compression !== undefined));
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        plaintext = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new PayloadDecryptionError(`payload under key ${id} failed authentication: it was altered or encrypted with another key`);
      }
      return unframe(compression === undefined ? plaintext : inflateRawSync(plaintext, { maxOutputLength: MAX_DECOMPRESSED_BYTES }));
    });
  }
}
