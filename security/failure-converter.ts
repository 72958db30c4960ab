import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces go through the payload codec too (as "encoded attributes"): a
 * destination's error can quote what it was sent (an email, a phone number), and histories hold
 * no personal data in clear. Loaded by path, in the workflow sandbox as well as in Node.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
