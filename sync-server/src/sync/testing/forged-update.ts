import * as encoding from 'lib0/encoding';

/**
 * A V1 update with one struct that names its parent (a root type) though it does not start at the client's
 * first clock: Yjs itself writes a parent only for a struct with no origin, so only a forger sends this.
 * `values` become Any content, one clock each.
 */
export function forgedListStruct(options: { client: number; clock: number; parent: string; values: readonly unknown[] }): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1); // one client
  encoding.writeVarUint(e, 1); // one struct
  encoding.writeVarUint(e, options.client);
  encoding.writeVarUint(e, options.clock);
  encoding.writeUint8(e, 0x08); // Any content, no origins, no key: the parent follows
  encoding.writeVarUint(e, 1); // a root type, by name
  encoding.writeVarString(e, options.parent);
  encoding.writeVarUint(e, options.values.length);
  for (const value of options.values) encoding.writeAny(e, value as Parameters<typeof encoding.writeAny>[1]);
  encoding.writeVarUint(e, 0); // empty delete set
  return encoding.toUint8Array(e);
}
