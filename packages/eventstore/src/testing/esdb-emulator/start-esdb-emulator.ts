/**
 * TEST DOUBLE. An EventStoreDB gRPC protocol emulator for tests on machines where no EventStoreDB
 * server can run. It implements only what recon's EventStoreDB adapter uses: Streams.Append and
 * Streams.BatchAppend (advertised per `ServerBehaviour.batchAppend`), Streams.Read (stream and $all reads, stream and $all subscriptions with filters, checkpoints,
 * confirmation, caught-up) and ServerFeatures.GetSupportedMethods, on the service definitions
 * generated inside `@eventstore/db-client`, so the real client talks to it unchanged over
 * loopback (`esdb://127.0.0.1:<port>?tls=false`). Storage is in memory. It is never used by
 * `recon start`; production uses a real EventStoreDB (see docs/eventstoredb.md).
 */
import { Server, ServerCredentials, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import type { SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { EmulatorLog } from './emulator-log';
import { FollowerView } from './follower-view';
import { serverFeaturesGrpc, serverFeaturesPb, streamsGrpc } from './generated';
import { AppendFaults } from './append-faults';
import { handleAppend } from './handle-append';
import { handleBatchAppend } from './handle-batch-append';
import { handleRead } from './handle-read';
import { dropSubscription, type SubscriptionRegistry } from './run-subscription';
import { behaviourFor, type ServerBehaviour } from './server-behaviour';

export interface EsdbEmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /**
   * The version GetSupportedMethods reports; it selects the server behaviours of that release
   * (`behaviourFor`: CaughtUp from 23.10, go-live checkpoints, resume semantics, BatchAppend, live
   * buffer). Default 24.10.0.
   */
  readonly serverVersion?: string;
  /** Overrides single behaviours of `serverVersion` (e.g. `{ batchAppend: false }`). */
  readonly behaviour?: Partial<ServerBehaviour>;
  /** Seeds a few `$`-prefixed system events, as a fresh EventStoreDB has. Default true. */
  readonly seedSystemEvents?: boolean;
  /**
   * Runs as a follower of another emulator: shares its log, serves reads from a replica that
   * `freezeReplication()` makes lag, and answers NotLeader (pointing at the leader) to requests
   * that require the leader.
   */
  readonly followerOf?: EsdbEmulator;
}

export interface EsdbEmulator {
  /** `esdb://127.0.0.1:<port>?tls=false` */
  readonly connectionString: string;
  readonly port: number;
  /** Ends every live subscription with UNAVAILABLE, as a server restart would. Returns how many. */
  dropSubscriptions(): number;
  /** Number of subscriptions currently open. */
  subscriptionCount(): number;
  /** Append failures to produce (Timeout after commit, stalled appends, the size limit). */
  readonly appendFaults: AppendFaults;
  /** Empties the server's idempotency cache of recent event ids, as a restart or leader election does. */
  forgetRecentIds(): void;
  /** Marks a stream deleted (tombstoned): appends to it then fail with StreamDeleted. */
  tombstone(streamName: string): void;
  /** Follower only: reads stop seeing new writes until `resumeReplication()`. */
  freezeReplication(): void;
  resumeReplication(): void;
  /** @internal shared with a follower started with `followerOf`. */
  readonly shared: EmulatorShared;
  stop(): Promise<void>;
}

/** What a follower shares with its leader. */
export interface EmulatorShared {
  readonly log: EmulatorLog;
  readonly appendFaults: AppendFaults;
  readonly deleted: Set<string>;
}

export async function startEsdbEmulator(options: EsdbEmulatorOptions = {}): Promise<EsdbEmulator> {
  const serverVersion = options.serverVersion ?? '24.10.0';
  const behaviour: ServerBehaviour = { ...behaviourFor(serverVersion), ...options.behaviour };
  const leader = options.followerOf;
  const log = leader?.shared.log ?? new EmulatorLog();
  if (leader === undefined && (options.seedSystemEvents ?? true)) seedSystemEvents(log);
  const view = new FollowerView(log);
  const registry: SubscriptionRegistry = new Set();
  const appendFaults = leader?.shared.appendFaults ?? new AppendFaults();
  const deleted = leader?.shared.deleted ?? new Set<string>();
  const server = new Server();
  server.addService(streamsGrpc.StreamsService, {
    read: handleRead(log, {
      server: behaviour,
      registry,
      view,
      leader: leader === undefined ? null : { host: '127.0.0.1', port: leader.port },
    }),
    append: handleAppend(log, appendFaults, deleted),
    batchAppend: handleBatchAppend(log, appendFaults, deleted),
  });
  server.addService(serverFeaturesGrpc.ServerFeaturesService, {
    getSupportedMethods: (
      _call: ServerUnaryCall<Empty, SupportedMethods>,
      callback: sendUnaryData<SupportedMethods>,
    ) => {
      callback(null, supportedMethods(serverVersion, behaviour.batchAppend));
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    port,
    dropSubscriptions: () => {
      const calls = [...registry];
      registry.clear();
      for (const call of calls) dropSubscription(call);
      return calls.length;
    },
    subscriptionCount: () => registry.size,
    appendFaults,
    forgetRecentIds: () => log.forgetRecentIds(),
    freezeReplication: () => view.freeze(),
    resumeReplication: () => view.resume(),
    shared: { log, appendFaults, deleted },
    tombstone: (streamName) => {
      deleted.add(streamName);
    },
    stop: async () => {
      for (const call of [...registry]) dropSubscription(call);
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      server.forceShutdown();
    },
  };
}

/** Advertises BatchAppend as 22.10+ servers do (the client then uses it for every append). */
function supportedMethods(serverVersion: string, batchAppend: boolean): SupportedMethods {
  const methods = new serverFeaturesPb.SupportedMethods();
  methods.setEventStoreServerVersion(serverVersion);
  for (const [service, method, features] of [
    ['event_store.client.streams.streams', 'read', ['position', 'events']],
    ['event_store.client.streams.streams', 'append', []],
    ...(batchAppend ? ([['event_store.client.streams.streams', 'batchappend', []]] as const) : []),
    ['event_store.client.server_features.serverfeatures', 'getsupportedmethods', []],
  ] as const) {
    const supported = new serverFeaturesPb.SupportedMethod();
    supported.setServiceName(service);
    supported.setMethodName(method);
    supported.setFeaturesList([...features]);
    methods.addMethods(supported);
  }
  return methods;
}

function seedSystemEvents(log: EmulatorLog): void {
  const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');
  log.append('$settings', 'any', [
    {
      id: '00000000-0000-4000-8000-000000000001',
      type: '$settings',
      contentType: 'application/json',
      data: json({}),
      customMetadata: new Uint8Array(),
    },
  ]);
  log.append('$scavenges', 'any', [
    {
      id: '00000000-0000-4000-8000-000000000002',
      type: '$scavengeIndexInitialized',
      contentType: 'application/json',
      data: json({}),
      customMetadata: new Uint8Array(),
    },
  ]);
}
