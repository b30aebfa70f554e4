/**
 * Temporal's remote codec protocol: payloads encrypted or decrypted in batches, for the
 * Temporal Web UI and CLI (the API serves it at `/codec/encode` and `/codec/decode`). Bodies
 * are `{payloads: [{metadata: {key: base64}, data: base64}]}` both ways.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { PayloadDecryptionError } from '../codec/payload-codec';
import { refusals } from './application-error';

const base64Schema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'must be base64' });

/** One payload as the remote codec protocol carries it (protobuf JSON: bytes in base64). */
export const CodecPayloadSchema = z.object({
  metadata: z.record(z.string().max(256), base64Schema).default({}),
  data: base64Schema.default(''),
});

/** Body and answer of `POST /codec/encode` and `POST /codec/decode`. */
export const CodecPayloadsSchema = z.object({
  payloads: z.array(CodecPayloadSchema).max(10_000, { error: 'must hold at most 10000 payloads' }),
});
/** Body and answer of the codec endpoints. */
export type CodecPayloads = z.infer<typeof CodecPayloadsSchema>;

function toPayload(wire: z.infer<typeof CodecPayloadSchema>): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(wire.metadata).map(([key, value]) => [key, new Uint8Array(Buffer.from(value, 'base64'))])),
    data: new Uint8Array(Buffer.from(wire.data, 'base64')),
  };
}

function toWire(payload: Payload): z.infer<typeof CodecPayloadSchema> {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  };
}

/** Runs the codec over a batch; a payload that fails to decrypt answers 422 without saying more than why. */
export async function transcodePayloads(codec: PayloadCodec, direction: 'encode' | 'decode', body: CodecPayloads): Promise<CodecPayloads> {
  try {
    const payloads = await codec[direction](body.payloads.map(toPayload));
    return { payloads: payloads.map(toWire) };
  } catch (error) {
    if (error instanceof PayloadDecryptionError) throw refusals.unprocessable(`A payload could not be decoded: ${error.message}.`);
    throw error;
  }
}

