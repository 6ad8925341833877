import { listText, pluralWord } from '../../../../core/format.ts';
import type { RouteSketch as Sketch } from '../../../../core/route-sheets/route-sheet';

/** The day's route as a numbered sketch: no map tiles (offline, no remote content), north up, with a scale. */
export function RouteSketch({ sketch, color }: { sketch: Sketch; color: string }) {
  const { width, height, points, scale } = sketch;
  const path = points.slice(1).map((p, i) => legPath(points[i]!, p)).join(' ');
  // Smaller markers on a busy day, so neighbouring stops overlap less.
  const dense = points.length > 9;
  return (
    <figure className={`rs-sketch${dense ? ' rs-sketch--dense' : ''}`} data-route-sketch="">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Route sketch with ${points.filter((p) => p.kind === 'stop').length} stops`}>
        <rect x="0.5" y="0.5" width={width - 1} height={height - 1} rx="3" className="rs-sketch__frame" />
        {points.length > 1 ? <path d={path} className="rs-sketch__route" stroke={color} /> : null}
        {points.map((p, i) =>
          p.kind === 'home' ? (
            <g key={`home-${i}`} className="rs-sketch__home">
              <rect x={p.x - 5} y={p.y - 5} width="10" height="10" rx="1.5" />
              <text x={p.x} y={p.y + 0.3}>H</text>
            </g>
          ) : (
            <g key={`stop-${p.number}`} className="rs-sketch__stop" data-sketch-stop={p.number ?? undefined}>
              <circle cx={p.x} cy={p.y} r={dense ? 4.4 : 5.6} fill={color} />
              <text x={p.x} y={p.y + 0.3}>{p.number}</text>
            </g>
          ),
        )}
        <g className="rs-sketch__scale" transform={`translate(8 ${height - 8})`}>
          <path d={`M0 -3V0H${scale.length}V-3`} />
          <text x={scale.length + 3} y="0">{scale.label}</text>
        </g>
        <g className="rs-sketch__north" transform={`translate(${width - 10} 9)`}>
          <path d="M0 -5L3 3L0 1.5L-3 3Z" />
          <text x="0" y="10">N</text>
        </g>
      </svg>
      {sketch.missing.length > 0 ? (
        <figcaption className="rs-sketch__missing">
          Not on the sketch (no coordinates): {pluralWord(sketch.missing.length, 'stop')} {listText(sketch.missing.map(String))}
        </figcaption>
      ) : null}
    </figure>
  );
}

/**
 * One leg as a gentle curve bowing to the right of its direction of travel, so going out and coming back
 * along the same line (or passing over a stop) stays two visible strokes.
 */
function legPath(from: { x: number; y: number }, to: { x: number; y: number }): string {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const bow = 0.15;
  const cx = (from.x + to.x) / 2 - dy * bow;
  const cy = (from.y + to.y) / 2 + dx * bow;
  return `M${from.x},${from.y} Q${cx.toFixed(1)},${cy.toFixed(1)} ${to.x},${to.y}`;
}
