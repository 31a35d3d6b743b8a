/**
 * Loads the protobuf messages and gRPC service definitions that ship inside
 * `@eventstore/db-client` (generated/*_pb.js, *_grpc_pb.js), so the emulator speaks exactly the
 * wire protocol the real client was built against. They are CommonJS modules whose exports the
 * ESM loader cannot see statically, hence `createRequire`.
 */
import { createRequire } from 'node:module';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb';
import type * as SharedPb from '@eventstore/db-client/generated/shared_pb';
import type * as ServerFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb';
import type * as StreamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb';
import type * as ServerFeaturesGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import type * as StatusPb from '@eventstore/db-client/generated/status_pb';

const require = createRequire(import.meta.url);
const generated = '@eventstore/db-client/generated';

export const streamsPb = require(`${generated}/streams_pb`) as typeof StreamsPb;
export const sharedPb = require(`${generated}/shared_pb`) as typeof SharedPb;
export const serverFeaturesPb = require(`${generated}/serverfeatures_pb`) as typeof ServerFeaturesPb;
export const streamsGrpc = require(`${generated}/streams_grpc_pb`) as typeof StreamsGrpc;
export const serverFeaturesGrpc = require(`${generated}/serverfeatures_grpc_pb`) as typeof ServerFeaturesGrpc;
export const statusPb = require(`${generated}/status_pb`) as typeof StatusPb;

/** google.protobuf.Any, from the google-protobuf copy the client itself uses (not our dependency). */
const clientRequire = createRequire(require.resolve(`${generated}/status_pb`));
export const anyPb = clientRequire('google-protobuf/google/protobuf/any_pb') as {
  Any: new () => { pack(serialized: Uint8Array, name: string, typeUrlPrefix?: string): void };
};
