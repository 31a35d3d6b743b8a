/** Test-only EventStoreDB gRPC protocol emulator (see start-esdb-emulator.ts). */
export { startEsdbEmulator, type EsdbEmulator, type EsdbEmulatorOptions } from './start-esdb-emulator';
export { behaviourFor, END_OF_LOG, type GoLiveCheckpoint, type ServerBehaviour } from './server-behaviour';
