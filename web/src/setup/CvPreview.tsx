import type { CvParseResult } from "../api/types";

interface CvPreviewProps {
  fileName: string;
  result: CvParseResult;
  onRemove: () => void;
}

const shownSkills = 18;

function span(start?: string | null, end?: string | null): string {
  if (!start && !end) return "";
  return `${start ?? "?"} – ${end ?? "present"}`;
}

/** What the server read from the CV, so the candidate can check it before starting. */
export function CvPreview({ fileName, result, onRemove }: CvPreviewProps) {
  const { profile } = result;
  const pages = result.pages ? ` · ${result.pages} page${result.pages === 1 ? "" : "s"}` : "";
  const extraSkills = profile.skills.length - shownSkills;
  return (
    <section className="cv-preview" aria-labelledby="cv-preview-title">
      <div className="cv-preview-head">
        <div>
          <h3 id="cv-preview-title">What we read from your CV</h3>
          <p className="hint">
            {fileName} · {result.format.toUpperCase()}
            {pages}
          </p>
        </div>
        <button type="button" className="button button-small" onClick={onRemove}>
          Remove CV
        </button>
      </div>
      <dl className="cv-facts">
        <dt>Name</dt>
        <dd>{profile.name ?? <span className="muted">not found</span>}</dd>
        <dt>Headline</dt>
        <dd>{profile.headline ?? <span className="muted">not found</span>}</dd>
      </dl>
      <h4>Skills</h4>
      {profile.skills.length > 0 ? (
        <ul className="tags" aria-label="Skills">
          {profile.skills.slice(0, shownSkills).map((skill) => (
            <li key={skill}>{skill}</li>
          ))}
          {extraSkills > 0 && <li className="muted">+{extraSkills} more</li>}
        </ul>
      ) : (
        <p className="muted">No skills found.</p>
      )}
      <h4>Experience</h4>
      {profile.experience.length > 0 ? (
        <ul className="cv-experience">
          {profile.experience.map((job, index) => (
            <li key={index}>
              <strong>{[job.role, job.company].filter(Boolean).join(" · ") || "Role"}</strong>
              {span(job.start, job.end) && <span className="muted"> ({span(job.start, job.end)})</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No experience found.</p>
      )}
      {profile.flags.length > 0 && (
        <ul className="cv-flags" aria-label="Notes about the CV">
          {profile.flags.map((flag) => (
            <li key={flag}>{flag.replace(/_/g, " ")}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
