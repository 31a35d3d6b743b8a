/**
 * @recon/privacy: crypto-shredding (docs/security.md, "Erasure"). `createSealingEventStore` wraps
 * the event store so what events say about a person is sealed under a per-stream key;
 * `StreamKeyring.destroy` erases it for good.
 */
export { createSealingEventStore } from './sealing-event-store';
export { createStreamKeyring, type StreamKeyring, type StreamKeyringOptions } from './stream-keyring';
export {
  SEALED_FIELD,
  SEALED_FIELDS,
  needsSealing,
  openEventData,
  sealEventData,
  type OpenOutcome,
} from './sealed-fields';
