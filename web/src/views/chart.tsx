import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A small time-series chart (uPlot, canvas) with its numbers as a table
 * beside it for screen readers and keyboard users: the chart is a picture of
 * the table, never the only way to read it.
 */
export function SeriesChart({
  title,
  times,
  values,
  texts,
  unit,
}: {
  title: string;
  /** Seconds since the epoch, oldest first. */
  times: number[];
  /** For drawing only: a float is fine for a pixel, never for an amount. */
  values: Array<number | null>;
  /** The exact values as the server sent them, for the table. */
  texts: string[];
  unit: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const width = Math.max(260, Math.min(element.clientWidth, 640));
    const plot = new uPlot(
      {
        width,
        height: 180,
        legend: { show: false },
        cursor: { show: true, drag: { x: false, y: false } },
        // One point alone gets a day either side, rather than an axis of years.
        scales: {
          x:
            times.length === 1
              ? { time: true, range: [times[0] - 86_400, times[0] + 86_400] }
              : { time: true },
        },
        axes: [{ stroke: '#374151' }, { stroke: '#374151', size: 56 }],
        series: [
          {},
          {
            label: title,
            stroke: '#166534',
            width: 2,
            fill: 'rgba(22, 101, 52, 0.12)',
            spanGaps: true,
          },
        ],
      },
      [times, values],
      element,
    );
    return () => plot.destroy();
  }, [times, values, title]);
  return (
    <figure class="chart">
      <figcaption>
        {title} <span class="muted">({unit})</span>
      </figcaption>
      <div ref={box} role="img" aria-label={`${title}: chart of the table below`} />
      <details>
        <summary>{title} as a table</summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={`${title} table`}>
          <table>
            <thead>
              <tr>
                <th scope="col">Period starting</th>
                <th scope="col" class="number">
                  {title}
                </th>
              </tr>
            </thead>
            <tbody>
              {times.map((time, index) => (
                <tr key={time}>
                  <td>{new Date(time * 1000).toISOString().slice(0, 10)}</td>
                  <td class="number">{texts[index] ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
