import { DefaultFailureConverter } from '@temporalio/common';

/**
 * The failure converter of every Passerelle process and of the workflow bundle: failure
 * messages and stack traces move into an encoded attribute, so the payload codec encrypts them
 * as well (a message can quote a workload name or a customer's reply). Bundled into the
 * workflow sandbox, so it imports nothing but @temporalio/common.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
