import { describe, expect, it } from 'vitest';
import { InFlightChanges, onlyReads } from './backend-entry-busy';

describe('InFlightChanges: no read from the read tables overtakes a change', () => {
  it('holds back reads sent after a waiting change, not those sent before it', () => {
    const changes = new InFlightChanges();
    changes.sent(1, 'board:getRange');
    changes.sent(2, 'commands:run');
    changes.sent(3, 'providers:list');
    expect(changes.before(1)).toBe(false);
    expect(changes.before(3)).toBe(true);
    changes.answered(2);
    expect(changes.before(3)).toBe(false);
  });

  it('counts every request it does not know as a change', () => {
    expect(onlyReads('board:getRange')).toBe(true);
    expect(onlyReads('sync:getStatus')).toBe(true);
    expect(onlyReads('bookings:get')).toBe(true);
    expect(onlyReads('draft:save')).toBe(false);
    expect(onlyReads('sync:signIn')).toBe(false);
    expect(onlyReads('something:new')).toBe(false);
    const changes = new InFlightChanges();
    changes.sent(1, 'something:new');
    changes.sent(2, 'bookings:get');
    expect(changes.before(5)).toBe(true);
    changes.answered(1);
    expect(changes.before(5)).toBe(false);
  });
});
