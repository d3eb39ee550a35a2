// Writes a minimal but valid one-page PDF with real text objects, so the server's PDF reader
// extracts the lines as a CV. Offsets in the cross-reference table are computed, not guessed.
const escape = (line: string) => line.replace(/[\\()]/g, (ch) => `\\${ch}`);

export function textPdf(lines: readonly string[]): Buffer {
  const content = [
    "BT",
    "/F1 11 Tf",
    "14 TL",
    "56 780 Td",
    ...lines.map((line) => `(${escape(line)}) Tj T*`),
    "ET",
  ].join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

export const janeDoeCv = [
  "Jane Doe",
  "Senior Python Developer",
  "jane.doe@example.com | +44 20 7946 0000 | github.com/janedoe",
  "",
  "Summary",
  "Backend engineer with eight years of experience building Python web services.",
  "",
  "Skills",
  "Python, FastAPI, PostgreSQL, Docker, Redis, AWS",
  "",
  "Experience",
  "Senior Backend Engineer, Acme Corp, 2020 - Present",
  "- Led the migration of a monolith to FastAPI services, cutting latency by 40%.",
  "- Designed a PostgreSQL partitioning scheme for 2 billion rows.",
  "Backend Developer, Globex, 2016 - 2020",
  "- Built payment APIs in Django and Celery.",
  "",
  "Education",
  "BSc Computer Science, University of Leeds, 2012 - 2016",
];
