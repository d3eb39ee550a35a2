import { Stats } from "../components/Stats";
import type { VoiceLatency, VoiceLatencyTurn } from "../api/types";

type Stage = "transcript_ms" | "first_brain_output_ms" | "first_tts_audio_ms" | "first_audio_sent_ms";

const stages: { key: Stage; label: string }[] = [
  { key: "transcript_ms", label: "Transcript" },
  { key: "first_brain_output_ms", label: "Brain" },
  { key: "first_tts_audio_ms", label: "TTS" },
  { key: "first_audio_sent_ms", label: "Sent" },
];

function ms(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${value} ms`;
}

/** Each stage as a stretch of the turn, from the stage reached before it; stages never reached are left out. */
function segments(turn: VoiceLatencyTurn): { key: Stage; start: number; end: number }[] {
  let start = 0;
  return stages.flatMap(({ key }) => {
    const at = turn[key];
    if (at === null || at === undefined) return [];
    const segment = { key, start, end: Math.max(start, at) };
    start = segment.end;
    return [segment];
  });
}

/** How quickly the interviewer answered each spoken turn: figures in a table, stages drawn to one scale. */
export function VoiceLatencyAppendix({ latency }: { latency: VoiceLatency }) {
  const { summary, turns } = latency;
  // A hosted avatar's stage: its first video frame of the reply; shown only when one spoke.
  const avatar = turns.some((turn) => turn.first_avatar_video_ms != null);
  const scale = Math.max(1, ...turns.flatMap((turn) => segments(turn).map((segment) => segment.end)));
  const stats: [string, string][] = [
    ["Spoken turns", String(summary.count)],
    ["Voice to voice, median", ms(summary.voice_to_voice_p50_ms)],
    ["Voice to voice, 95th percentile", ms(summary.voice_to_voice_p95_ms)],
  ];
  return (
    <div className="voice-latency">
      <p className="muted">
        How long the interviewer took to answer each spoken turn, from the end of your speech: your words
        transcribed, then the first words of the reply written (brain), its first audio synthesised (TTS), and that
        audio sent to you.
      </p>
      <Stats stats={stats} />
      <ul className="latency-legend" aria-hidden="true">
        {stages.map((stage) => (
          <li key={stage.key}>
            <span className={`latency-swatch latency-${stage.key}`} />
            {stage.label}
          </li>
        ))}
      </ul>
      <div className="latency-table-wrap">
        <table className="latency-table">
          <caption>Latency of each spoken turn, in milliseconds from the end of your speech</caption>
          <thead>
            <tr>
              <th scope="col">Reply</th>
              {stages.map((stage) => (
                <th key={stage.key} scope="col">
                  {stage.label}
                </th>
              ))}
              <th scope="col">Voice to voice</th>
              {avatar && <th scope="col">Avatar video</th>}
            </tr>
          </thead>
          <tbody>
            {turns.map((turn) => (
              <tr key={turn.seq} data-testid="latency-turn">
                <th scope="row">
                  <span className="latency-reply">
                    <span className="muted">#{turn.seq}</span> {turn.text}
                  </span>
                  <svg className="latency-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
                    <rect x="0" y="0" width="100" height="8" className="bar-track" />
                    {segments(turn).map((segment) => (
                      <rect
                        key={segment.key}
                        x={(segment.start / scale) * 100}
                        y="0"
                        width={((segment.end - segment.start) / scale) * 100}
                        height="8"
                        className={`latency-${segment.key}`}
                      />
                    ))}
                  </svg>
                </th>
                {stages.map((stage) => (
                  <td key={stage.key}>{ms(turn[stage.key])}</td>
                ))}
                <td>{ms(turn.voice_to_voice_ms)}</td>
                {avatar && <td>{ms(turn.first_avatar_video_ms)}</td>}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Median</th>
              {stages.map((stage) => (
                <td key={stage.key}>{ms(summary.median[stage.key])}</td>
              ))}
              <td>{ms(summary.voice_to_voice_p50_ms)}</td>
              {avatar && <td>—</td>}
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}
