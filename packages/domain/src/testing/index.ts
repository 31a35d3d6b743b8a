/** @recon/domain/testing: builders and fast-check arbitraries for tests of code built on the domain. */
export * from './builders';
export * from './arbitraries';
export * from './decider-spec';
export {
  Scenario,
  SCENARIO_MEETING,
  SCENARIO_T0,
  type LeadContact,
  type PlacedEvent,
  type ScenarioObservation,
  type ScenarioOptions,
} from './scenario';
export { seededRandom, shuffle } from './seeded-random';
