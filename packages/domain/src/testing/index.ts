/** @recon/domain/testing: builders and fast-check arbitraries for tests of code built on the domain. */
export * from './builders';
export * from './arbitraries';
export * from './decider-spec';
