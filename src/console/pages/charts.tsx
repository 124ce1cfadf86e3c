/**
 * Server-rendered SVG charts. The console's CSP forbids style attributes and inline scripts, so charts are
 * drawn with presentation attributes only; each carries a <title> and <desc>, and the page shows the same
 * numbers in a table next to it (a screen reader reads the table, not the drawing).
 */

/** Colours with at least 3:1 contrast on white, each series also with its own dash pattern (never colour alone). */
const SERIES_STYLES = [
  { stroke: '#0b5cad', dash: undefined },
  { stroke: '#a3161a', dash: '8 4' },
  { stroke: '#1d6b2f', dash: '2 4' },
  { stroke: '#6b2f9d', dash: '12 4 2 4' },
  { stroke: '#8a5a00', dash: '4 4' },
  { stroke: '#00636b', dash: '10 6' },
  { stroke: '#3d4652', dash: '2 2' },
  { stroke: '#b0306a', dash: '6 2 2 2' },
] as const;

/** The most lines a trend chart draws; the table beside it lists every series. */
export const MAX_CHART_SERIES = SERIES_STYLES.length;

export interface TrendSeries {
  name: string;
  /** One value per category (null: no scored review there), in the categories' order. */
  values: (number | null)[];
  /** What a point's tooltip adds, per category (e.g. the sample size). */
  notes?: (string | null)[];
}

const round = (value: number) => Math.round(value * 100) / 100;

/** A line chart of percentages (0 to 100) over categories such as periods; a circle for every value. */
export function LineChart(props: { id: string; title: string; description: string; categories: string[]; series: TrendSeries[] }) {
  const width = 760;
  const height = 320;
  const margin = { left: 52, right: 190, top: 16, bottom: 48 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const count = props.categories.length;
  const xOf = (index: number) => margin.left + (count <= 1 ? plotWidth / 2 : (plotWidth * index) / (count - 1));
  const yOf = (percent: number) => margin.top + plotHeight - (plotHeight * Math.max(0, Math.min(100, percent))) / 100;
  const drawn = props.series.slice(0, MAX_CHART_SERIES);
  const titleId = `${props.id}-title`;
  const descId = `${props.id}-desc`;
  return (
    <svg class="chart line-chart" id={props.id} role="img" aria-labelledby={`${titleId} ${descId}`} viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
      <title id={titleId}>{props.title}</title>
      <desc id={descId}>{props.description}</desc>
      {[0, 25, 50, 75, 100].map((tick) => (
        <g>
          <line x1={margin.left} x2={margin.left + plotWidth} y1={yOf(tick)} y2={yOf(tick)} stroke="#c8ced6" stroke-width="1" />
          <text x={margin.left - 8} y={yOf(tick) + 4} text-anchor="end" font-size="12" fill="#4a5360">
            {`${tick} %`}
          </text>
        </g>
      ))}
      {props.categories.map((category, index) => (
        <text x={xOf(index)} y={margin.top + plotHeight + 20} text-anchor="middle" font-size="12" fill="#4a5360">
          {category}
        </text>
      ))}
      {drawn.map((series, seriesIndex) => {
        const style = SERIES_STYLES[seriesIndex % SERIES_STYLES.length]!;
        const points = series.values.flatMap((value, index) => (value === null ? [] : [{ index, value }]));
        return (
          <g class="series" data-series={series.name}>
            {points.length > 1 ? (
              <polyline
                points={points.map((point) => `${round(xOf(point.index))},${round(yOf(point.value))}`).join(' ')}
                fill="none"
                stroke={style.stroke}
                stroke-width="2.5"
                stroke-dasharray={style.dash}
              />
            ) : null}
            {points.map((point) => (
              <circle class="point" cx={round(xOf(point.index))} cy={round(yOf(point.value))} r="4.5" fill={style.stroke}>
                <title>{`${series.name}, ${props.categories[point.index]}: ${point.value} %${series.notes?.[point.index] ? ` (${series.notes[point.index]})` : ''}`}</title>
              </circle>
            ))}
          </g>
        );
      })}
      <g class="legend">
        {drawn.map((series, seriesIndex) => {
          const style = SERIES_STYLES[seriesIndex % SERIES_STYLES.length]!;
          const y = margin.top + 8 + seriesIndex * 22;
          const x = margin.left + plotWidth + 16;
          return (
            <g>
              <line x1={x} x2={x + 28} y1={y} y2={y} stroke={style.stroke} stroke-width="2.5" stroke-dasharray={style.dash} />
              <text x={x + 36} y={y + 4} font-size="12" fill="#1b1f24">
                {series.name.length > 20 ? `${series.name.slice(0, 19)}…` : series.name}
              </text>
            </g>
          );
        })}
      </g>
    </svg>
  );
}

export interface Bar {
  label: string;
  value: number;
}

/** A bar chart of counts, one bar per entry, each labelled with its value. */
export function BarChart(props: { id: string; title: string; description: string; bars: Bar[]; unit: string }) {
  const width = 760;
  const height = 280;
  const margin = { left: 52, right: 16, top: 24, bottom: 48 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const max = Math.max(1, ...props.bars.map((bar) => bar.value));
  const slot = plotWidth / Math.max(1, props.bars.length);
  const barWidth = Math.min(90, slot * 0.6);
  const titleId = `${props.id}-title`;
  const descId = `${props.id}-desc`;
  const yOf = (value: number) => margin.top + plotHeight - (plotHeight * value) / max;
  return (
    <svg class="chart bar-chart" id={props.id} role="img" aria-labelledby={`${titleId} ${descId}`} viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
      <title id={titleId}>{props.title}</title>
      <desc id={descId}>{props.description}</desc>
      <line x1={margin.left} x2={margin.left + plotWidth} y1={yOf(0)} y2={yOf(0)} stroke="#4a5360" stroke-width="1" />
      <text x={margin.left - 8} y={yOf(max) + 4} text-anchor="end" font-size="12" fill="#4a5360">
        {String(max)}
      </text>
      <text x={margin.left - 8} y={yOf(0) + 4} text-anchor="end" font-size="12" fill="#4a5360">
        0
      </text>
      {props.bars.map((bar, index) => {
        const x = margin.left + slot * index + (slot - barWidth) / 2;
        const top = yOf(bar.value);
        return (
          <g>
            <rect class="bar" x={round(x)} y={round(top)} width={round(barWidth)} height={round(yOf(0) - top)} fill="#0b5cad">
              <title>{`${bar.label}: ${bar.value} ${props.unit}`}</title>
            </rect>
            <text x={round(x + barWidth / 2)} y={round(top - 6)} text-anchor="middle" font-size="12" fill="#1b1f24">
              {String(bar.value)}
            </text>
            <text x={round(x + barWidth / 2)} y={margin.top + plotHeight + 20} text-anchor="middle" font-size="12" fill="#4a5360">
              {bar.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
