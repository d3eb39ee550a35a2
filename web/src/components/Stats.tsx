/** A row of labelled figures (label, value). */
export function Stats({ stats }: { stats: readonly (readonly [string, string])[] }) {
  return (
    <dl className="stats">
      {stats.map(([label, value]) => (
        <div key={label} className="stat">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
