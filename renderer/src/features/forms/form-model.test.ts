import { describe, expect, it } from 'vitest';
import { fail, ok, type Result } from '../../../../core/result';
import { FormModel, recordFormSpec, savedRecordOf, type FormSpec } from './form-model';

/** A promise the test settles by hand, to see the model while a send is on its way. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

interface Draft {
  name: string;
  size: string;
}
const numberSpec = (send: FormSpec<Draft, { name: string; size: number }, string>['send']): FormSpec<Draft, { name: string; size: number }, string> => ({
  check: (d) => {
    const size = Number(d.size);
    const errors: Record<string, string> = d.size.trim() === '' || !Number.isFinite(size) ? { size: 'Must be a number' } : {};
    return { value: { name: d.name, size }, errors };
  },
  send,
});

describe('FormModel', () => {
  it('tracks edits as dirty and tells subscribers', () => {
    const m = new FormModel(numberSpec(() => null), { name: '', size: '1' });
    let calls = 0;
    const off = m.subscribe(() => calls++);
    m.set('name', 'Ana');
    expect(m.getState()).toEqual({ draft: { name: 'Ana', size: '1' }, busy: false, dirty: true });
    m.reset({ name: 'Bo', size: '2' });
    expect(m.getState().dirty).toBe(false);
    off();
    m.set('name', 'x');
    expect(calls).toBe(2);
  });

  it('stops at local errors without sending', async () => {
    let sent = 0;
    const m = new FormModel(numberSpec(() => (sent++, Promise.resolve(ok('id')))), { name: 'a', size: 'ten' });
    expect(await m.submit()).toEqual({ kind: 'invalid', errors: { size: 'Must be a number' } });
    expect(sent).toBe(0);
  });

  it('is busy while sending, refuses a second submit, and is clean once sent', async () => {
    const answer = deferred<Result<string>>();
    const m = new FormModel(numberSpec(() => answer.promise), { name: 'a', size: '2' });
    m.set('name', 'b');
    const first = m.submit();
    expect(m.getState().busy).toBe(true);
    expect(await m.submit()).toEqual({ kind: 'busy' });
    answer.resolve(ok('new-id'));
    expect(await first).toEqual({ kind: 'done', value: { name: 'b', size: 2 }, result: 'new-id' });
    expect(m.getState()).toMatchObject({ busy: false, dirty: false });
  });

  it('keeps the draft dirty when the backend refuses, or when edited while sending', async () => {
    const m = new FormModel(numberSpec(() => Promise.resolve(fail('validation', 'No', { fieldErrors: { name: 'Taken' } }))), { name: 'a', size: '2' });
    m.set('name', 'b');
    const out = await m.submit();
    expect(out).toMatchObject({ kind: 'failed', error: { fieldErrors: { name: 'Taken' } } });
    expect(m.getState()).toMatchObject({ busy: false, dirty: true, draft: { name: 'b' } });

    const answer = deferred<Result<string>>();
    const n = new FormModel(numberSpec(() => answer.promise), { name: 'a', size: '2' });
    const sending = n.submit();
    n.set('name', 'typed meanwhile');
    answer.resolve(ok('x'));
    await sending;
    expect(n.getState()).toMatchObject({ dirty: true, draft: { name: 'typed meanwhile' } });
  });

  it('turns a thrown send into a failed outcome', async () => {
    const m = new FormModel(numberSpec(() => Promise.reject(new Error('socket closed'))), { name: 'a', size: '2' });
    expect(await m.submit()).toEqual({ kind: 'failed', error: { code: 'internal', message: 'socket closed' } });
    expect(m.getState().busy).toBe(false);
  });
});

describe('recordFormSpec', () => {
  interface Rec {
    id: string;
    name: string;
    phone: string;
  }
  const draftOf = (r?: Rec) => ({ name: r?.name ?? '', phone: r?.phone ?? '' });
  const fieldsOf = (d: { name: string; phone: string }) => ({ fields: { name: d.name, phone: d.phone.trim() }, errors: {} });
  const calls: unknown[] = [];
  const options = (record?: Rec) => ({
    record,
    draftOf,
    fieldsOf,
    create: async (fields: { name: string; phone: string }) => (calls.push(['create', fields]), ok({ id: 'new' })),
    update: async (id: string, patch: object) => (calls.push(['update', id, patch]), ok(undefined)),
  });

  it('creates a new record and names it for the notice', async () => {
    calls.length = 0;
    const m = new FormModel(recordFormSpec(options()), draftOf());
    m.set('name', '  Ana ');
    const out = await m.submit();
    expect(calls).toEqual([['create', { name: '  Ana ', phone: '' }]]);
    expect(savedRecordOf(out, undefined)).toEqual({ id: 'new', created: true, name: 'Ana' });
  });

  it('updates only the changed fields', async () => {
    calls.length = 0;
    const rec = { id: 'r1', name: 'Bo', phone: '555' };
    const m = new FormModel(recordFormSpec(options(rec)), draftOf(rec));
    m.set('phone', ' 556 ');
    const out = await m.submit();
    expect(calls).toEqual([['update', 'r1', { phone: '556' }]]);
    expect(savedRecordOf(out, rec)).toEqual({ id: 'r1', created: false, name: 'Bo' });
  });

  it('sends nothing when nothing changed, and still reports the record saved (the panel closes)', async () => {
    calls.length = 0;
    const rec = { id: 'r1', name: 'Bo', phone: '555' };
    const m = new FormModel(recordFormSpec(options(rec)), draftOf(rec));
    m.set('phone', ' 555');
    const out = await m.submit();
    expect(out.kind).toBe('unchanged');
    expect(calls).toEqual([]);
    expect(savedRecordOf(out, rec)).toEqual({ id: 'r1', created: false, name: 'Bo' });
    expect(savedRecordOf({ kind: 'invalid', errors: { a: 'b' } }, rec)).toBeNull();
  });
});
