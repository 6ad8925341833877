import { v7 as uuidv7 } from 'uuid';

/** Ids are UUIDv7 generated on the client: offline creation never collides and ids sort by creation time. */
export const newId = (): string => uuidv7();

export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
