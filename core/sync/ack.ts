import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * Crewline's one extension to the y-websocket protocol: acknowledgements, so a desktop can show the true
 * number of its actions the server has not confirmed (y-websocket itself has no acks).
 *
 * - A client that wants acks sends `[MESSAGE_ACK]` once per connection (after its sync step 1).
 * - From then on the server sends that connection `[MESSAGE_ACK, varUint8Array(stateVector)]` with its
 *   state vector for the room: right away, and again each time an update from that connection has been
 *   applied AND written to the server's store. Stock clients never send the request, so they never see
 *   an unknown message type.
 * - An action (client id, clock after it) is confirmed once `stateVector.get(clientId) >= clock`.
 * Message types 0–3 are y-websocket's (sync, awareness, auth, query awareness).
 */
export const MESSAGE_ACK = 100;

export function encodeAckRequest(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_ACK);
  return encoding.toUint8Array(encoder);
}

export function encodeAck(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_ACK);
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc));
  return encoding.toUint8Array(encoder);
}

/** Reads the body of an ack after its type byte; the decoder is positioned past `MESSAGE_ACK`. */
export function readAckBody(decoder: decoding.Decoder): Map<number, number> {
  return Y.decodeStateVector(decoding.readVarUint8Array(decoder));
}

/** True when the server's state vector covers an action that ended at `clock` for `clientId`. */
export function isConfirmed(serverState: ReadonlyMap<number, number>, clientId: number, clock: number): boolean {
  return (serverState.get(clientId) ?? 0) >= clock;
}
