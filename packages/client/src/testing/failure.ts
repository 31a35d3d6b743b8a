/** Test support: the `ReconError` a call rejects with (anything else, or no rejection, fails the test). */
import { isReconError, type ReconError } from '../recon-error';

export async function failure(promise: Promise<unknown>): Promise<ReconError> {
  try {
    await promise;
  } catch (error) {
    if (isReconError(error)) return error;
    throw error;
  }
  throw new Error('expected a ReconError');
}
