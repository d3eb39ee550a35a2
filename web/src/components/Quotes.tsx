/** Verbatim quotes from the candidate's answers that back a score or a remark. */
export function Quotes({ quotes, label = "Evidence" }: { quotes: readonly string[]; label?: string }) {
  if (quotes.length === 0) return null;
  return (
    <div className="quotes">
      <p className="quotes-label">{label}</p>
      <ul>
        {quotes.map((quote, index) => (
          <li key={index}>
            <blockquote>“{quote}”</blockquote>
          </li>
        ))}
      </ul>
    </div>
  );
}
