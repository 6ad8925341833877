import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { bookingFieldsSchema, customerFieldsSchema, providerFieldsSchema, serviceFieldsSchema, settingsFieldsSchema, TEXT_LIMITS } from './model';

/** Each kind of text has one limit, and every schema holding that kind of text applies it. */
const fields: Array<[string, z.ZodType, keyof typeof TEXT_LIMITS]> = [
  ['organization name', settingsFieldsSchema.shape.name, 'name'],
  ['licence key', settingsFieldsSchema.shape.calendarLicenseKey, 'licenseKey'],
  ['provider name', providerFieldsSchema.shape.name, 'name'],
  ['provider address', providerFieldsSchema.shape.address, 'address'],
  ['chat handle', providerFieldsSchema.shape.chatHandle, 'chatHandle'],
  ['service name', serviceFieldsSchema.shape.name, 'name'],
  ['customer name', customerFieldsSchema.shape.name, 'customerName'],
  ['customer address', customerFieldsSchema.shape.address, 'address'],
  ['customer notes', customerFieldsSchema.shape.notes, 'notes'],
  ['job title', bookingFieldsSchema.shape.title, 'jobTitle'],
  ['job notes', bookingFieldsSchema.shape.notes, 'notes'],
];

describe('one length limit per kind of text', () => {
  it.each(fields)('%s: up to the %s limit, and not one character more', (_what, schema, kind) => {
    const limit = TEXT_LIMITS[kind];
    expect(schema.safeParse('x'.repeat(limit)).success).toBe(true);
    const over = schema.safeParse('x'.repeat(limit + 1));
    expect(over.success).toBe(false);
    expect(over.error?.issues[0]?.message).toBe(`At most ${limit} characters`);
  });

  it('job and customer notes share one limit', () => {
    expect(bookingFieldsSchema.shape.notes.safeParse('n'.repeat(TEXT_LIMITS.notes + 1)).success).toBe(false);
    expect(customerFieldsSchema.shape.notes.safeParse('n'.repeat(TEXT_LIMITS.notes + 1)).success).toBe(false);
  });
});
