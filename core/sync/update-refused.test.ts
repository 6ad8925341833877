import { describe, expect, it } from 'vitest';
import { updateRefusedReason } from './update-refused';

const utf8Bytes = (text: string) => new TextEncoder().encode(text).byteLength;

describe('updateRefusedReason', () => {
  it('says what and why, whole when it fits a close frame', () => {
    expect(updateRefusedReason('setting selfDispatch: only admins change settings')).toBe(
      'update refused: setting selfDispatch: only admins change settings',
    );
  });

  it('cuts a long reason to 123 bytes of UTF-8, on a character boundary', () => {
    for (const filler of ['x', 'é', '€', '😀']) {
      const reason = updateRefusedReason(`booking 0190: title: ${filler.repeat(200)}`);
      expect(utf8Bytes(reason)).toBeLessThanOrEqual(123);
      expect(utf8Bytes(reason)).toBeGreaterThan(115);
      expect(reason.endsWith('...')).toBe(true);
      expect(reason).not.toContain('\uFFFD');
    }
  });
});
