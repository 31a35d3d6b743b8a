/**
 * Loads the protobuf messages and gRPC service definitions that ship inside
 * `@eventstore/db-client` (generated/*_pb.js, *_grpc_pb.js), so the emulator speaks exactly the
 * wire protocol the real client was built against. They are CommonJS modules whose exports the
 * ESM loader cannot see statically, hence `createRequire`.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const streamsPb = require(
  '@eventstore/db-client/generated/streams_pb',
) as typeof import('@eventstore/db-client/generated/streams_pb');
export const sharedPb = require(
  '@eventstore/db-client/generated/shared_pb',
) as typeof import('@eventstore/db-client/generated/shared_pb');
export const serverFeaturesPb = require(
  '@eventstore/db-client/generated/serverfeatures_pb',
) as typeof import('@eventstore/db-client/generated/serverfeatures_pb');
export const streamsGrpc = require(
  '@eventstore/db-client/generated/streams_grpc_pb',
) as typeof import('@eventstore/db-client/generated/streams_grpc_pb');
export const serverFeaturesGrpc = require(
  '@eventstore/db-client/generated/serverfeatures_grpc_pb',
) as typeof import('@eventstore/db-client/generated/serverfeatures_grpc_pb');
