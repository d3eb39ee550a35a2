import { useId } from "react";

interface TrendChartProps {
  /** The scores, oldest first. */
  values: readonly number[];
  min: number;
  max: number;
  /** The chart's name for assistive technology, e.g. "Python: overall score over time". */
  title: string;
  /** The numbers in words, so the chart says what it shows without being seen. */
  description: string;
  /** `small` is a sparkline for a table cell; `large` has grid lines and bigger dots. */
  size?: "small" | "large";
}

const frames = {
  small: { width: 120, height: 32, pad: 4, dot: 2.5 },
  large: { width: 480, height: 160, pad: 10, dot: 4.5 },
};

/** A line chart of scores over time in SVG, an image with its numbers in its description. */
export function TrendChart({ values, min, max, title, description, size = "large" }: TrendChartProps) {
  const titleId = useId();
  const descId = useId();
  const { width, height, pad, dot } = frames[size];
  const x = (index: number) =>
    values.length === 1 ? width / 2 : pad + (index * (width - 2 * pad)) / (values.length - 1);
  const y = (value: number) => {
    const clamped = Math.min(max, Math.max(min, value));
    return height - pad - ((clamped - min) * (height - 2 * pad)) / (max - min || 1);
  };
  const points = values.map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`).join(" ");
  const grid = [min, (min + max) / 2, max];

  return (
    <svg
      className={`trend trend-${size}`}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${titleId} ${descId}`}
    >
      <title id={titleId}>{title}</title>
      <desc id={descId}>{description}</desc>
      {size === "large" &&
        grid.map((value) => (
          <line key={value} className="trend-grid" x1={0} x2={width} y1={y(value)} y2={y(value)} vectorEffect="non-scaling-stroke" />
        ))}
      {values.length > 1 && <polyline className="trend-line" points={points} vectorEffect="non-scaling-stroke" />}
      {values.map((value, index) => (
        <circle key={index} className="trend-dot" cx={x(index)} cy={y(value)} r={dot} />
      ))}
    </svg>
  );
}
