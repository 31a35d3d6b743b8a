/** @recon/domain: the pure heart of recon. Event schemas, streams, deciders and rules; no I/O. */
export * from './events/primitives';
export * from './events/lead-events';
export * from './events/appointment-events';
export * from './events/recon-event';
export * from './observation';
export * from './streams';
export * from './providers/index';
