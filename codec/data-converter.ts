import type { DataConverter } from '@temporalio/common';
import { loadOrCreateDevCodecKeys } from './dev-keys';
import { type AesGcmPayloadCodec, type CodecKeyRing, parseCodecKeys } from './payload-codec';

export { failureConverter } from './failure-converter';

/** The module that exports the failure converter, for the worker's bundler and every client. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The data converter of every client and worker: payloads encrypted by `codec`, failure
 * messages moved into payloads so that they are encrypted too. Client and worker must agree,
 * or one side cannot read what the other wrote.
 */
export function createDataConverter(codec: AesGcmPayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/**
 * The process's payload keys: PASSERELLE_CODEC_KEYS when set (required in production, where
 * `loadConfig` refuses to start without it), otherwise the development keys under the data
 * directory.
 */
export async function loadCodecKeyRing(config: { codec: { keys?: string }; dataDir: string }): Promise<CodecKeyRing> {
  return parseCodecKeys(config.codec.keys ?? (await loadOrCreateDevCodecKeys(config.dataDir)));
}
