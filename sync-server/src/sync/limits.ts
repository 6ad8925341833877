import { DEFAULT_COMPACTION } from '../../../core/sync/compaction-rule';

/** Every bound the sync server enforces, with its default. `createSyncServer` takes overrides. */
export interface SyncLimits {
  /**
   * Largest WebSocket message; bigger ones close the connection (1009, by ws). A desktop's first upload
   * and its answer to the handshake after a long offline spell are ONE sync message holding everything
   * the server lacks, so this must fit a whole active schedule (15k bookings with history: ~22 MB).
   */
  maxPayloadBytes: number;
  /** Per-connection byte budget (token bucket over message sizes): bounds what big frames can cost. */
  bytesPerSecond: number;
  byteBurst: number;
  /**
   * Bytes of incoming frames all connections together may hold in memory (reserved at each frame's
   * header, `in-flight.ts`); a frame that would go over closes its connection with 1013. At least
   * `maxPayloadBytes`, or the largest frames could never be taken.
   */
  maxBytesInFlight: number;
  /** Rooms whose document is in memory; a new room beyond this is refused with 503 at the upgrade. */
  maxRooms: number;
  /** Open sync connections in the whole server / in one room (503 at the upgrade beyond). */
  maxConnections: number;
  maxConnectionsPerRoom: number;
  /** A room with no connection is unloaded (compacted, freed) after this long. */
  roomIdleMs: number;
  /** An opened socket that sends no sync step 1 within this is closed (1008). */
  syncDeadlineMs: number;
  /** Pings go out this often; a socket that did not answer the previous ping is terminated. */
  pingIntervalMs: number;
  /** Per-connection token bucket for messages: sustained rate and burst; over it the socket closes 1008. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Sync step 1 costs a document encode, so it has its own smaller bucket. */
  syncStep1PerSecond: number;
  syncStep1Burst: number;
  /** A client that lets this much unsent data pile up is cut off. */
  maxBufferedBytes: number;
  /** Awareness: client ids one connection may speak for, and the size of one awareness message. */
  maxAwarenessClientsPerConnection: number;
  maxAwarenessBytes: number;
  /** Updates waiting for missing history (Yjs "pending" structs) a room may hold. */
  maxPendingBytes: number;
  /**
   * Compaction (core/sync/compaction-rule.ts), off the relay path: once a room's log holds
   * `compactLogRatio` bytes per snapshot byte (and `compactMinLogBytes` at least), or `compactAfterUpdates`
   * rows whatever their size; and once a room has been quiet for `compactIdleMs`.
   */
  compactAfterUpdates: number;
  compactLogRatio: number;
  compactMinLogBytes: number;
  compactIdleMs: number;
  /** HTTP: an upgrade or request whose headers do not arrive within this is dropped (pre-auth). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_LIMITS: SyncLimits = {
  maxPayloadBytes: 64 * 1024 * 1024,
  bytesPerSecond: 4 * 1024 * 1024,
  byteBurst: 64 * 1024 * 1024,
  // Three frames of the largest size: two desktops' first uploads and a handshake answer at once.
  maxBytesInFlight: 3 * 64 * 1024 * 1024,
  maxRooms: 2000,
  maxConnections: 10_000,
  maxConnectionsPerRoom: 1000,
  roomIdleMs: 30_000,
  syncDeadlineMs: 10_000,
  pingIntervalMs: 30_000,
  messagesPerSecond: 500,
  messageBurst: 5000,
  syncStep1PerSecond: 2,
  syncStep1Burst: 10,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxAwarenessClientsPerConnection: 64,
  maxAwarenessBytes: 64 * 1024,
  maxPendingBytes: 8 * 1024 * 1024,
  compactAfterUpdates: DEFAULT_COMPACTION.maxLogRows,
  compactLogRatio: DEFAULT_COMPACTION.logRatio,
  compactMinLogBytes: DEFAULT_COMPACTION.minLogBytes,
  compactIdleMs: 10_000,
  headersTimeoutMs: 5000,
  requestTimeoutMs: 10_000,
};
