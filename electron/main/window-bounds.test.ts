import { describe, expect, it } from 'vitest';
import { parseWindowState, visibleBounds } from './window-bounds';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const external = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('remembered window bounds', () => {
  it('keeps a window that is on a connected display', () => {
    const saved = { x: 1600, y: 100, width: 1400, height: 900 };
    expect(visibleBounds(saved, [laptop, external])).toEqual(saved);
  });

  it('drops a window left on a monitor that is no longer connected', () => {
    expect(visibleBounds({ x: 1600, y: 100, width: 1400, height: 900 }, [laptop])).toBeNull();
  });

  it('drops a window with only a sliver on screen', () => {
    expect(visibleBounds({ x: 1400, y: 0, width: 1400, height: 900 }, [laptop])).toBeNull();
  });

  it('parses what it saved and rejects malformed or tiny states', () => {
    expect(parseWindowState('{"bounds":{"x":10,"y":20,"width":1200,"height":800},"maximized":true}')).toEqual({
      bounds: { x: 10, y: 20, width: 1200, height: 800 },
      maximized: true,
    });
    expect(parseWindowState('not json')).toBeNull();
    expect(parseWindowState('{"bounds":{"x":"a","y":0,"width":1200,"height":800}}')).toBeNull();
    expect(parseWindowState('{"bounds":{"x":0,"y":0,"width":50,"height":50}}')).toBeNull();
  });
});
