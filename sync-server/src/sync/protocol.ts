/**
 * The y-websocket wire format the server speaks (y-protocols sync + awareness, lib0 encoding), plus
 * Crewline's ack extension (`core/sync/ack.ts`). Messages the server sends to many connections are
 * encoded once here and the same bytes go to every socket.
 */
import * as encoding from 'lib0/encoding';
import type { Awareness } from 'y-protocols/awareness';
import { encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
export { MESSAGE_ACK } from '../../../core/sync/ack';

export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

/** `[sync, update, varUint8Array(update)]`, written straight into one exactly-sized array. */
export function encodeUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_UPDATE);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_STEP_1);
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc));
  return encoding.toUint8Array(encoder);
}

/** The answer to a peer's sync step 1: everything the server has that the peer's state vector lacks. */
export function encodeSyncStep2(doc: Y.Doc, peerStateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_STEP_2);
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc, peerStateVector));
  return encoding.toUint8Array(encoder);
}

export function encodeAwarenessMessage(awareness: Awareness, clients: readonly number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [...clients]));
  return encoding.toUint8Array(encoder);
}
