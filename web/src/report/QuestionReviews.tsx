import type { QuestionReview } from "../api/types";

/** Each question with what was answered, how it was judged, and a model answer. */
export function QuestionReviews({ questions }: { questions: readonly QuestionReview[] }) {
  if (questions.length === 0) {
    return <p className="muted">No questions were answered.</p>;
  }
  return (
    <ol className="question-reviews">
      {questions.map((review, index) => (
        <li key={index} className="card" data-testid="question-review">
          <div className="question-head">
            <h3>
              <span className="question-index">Q{review.number || index + 1}</span> {review.question}
            </h3>
            <span className="badge" title="Score for this answer, out of 5">
              {review.score.toFixed(1)}/5
            </span>
          </div>
          {review.brain && review.brain !== "embedded" && (
            <p className="written-by" data-testid="question-brain">
              Question written by {review.brain}
            </p>
          )}
          {review.follow_ups.length > 0 && (
            <ul className="follow-ups" aria-label="Follow-up questions">
              {review.follow_ups.map((followUp, i) => (
                <li key={i}>{followUp}</li>
              ))}
            </ul>
          )}
          <dl>
            <dt>Your answer, in short</dt>
            <dd>{review.answer_summary || <span className="muted">No answer.</span>}</dd>
            <dt>Assessment</dt>
            <dd>{review.assessment}</dd>
            <dt>A strong answer</dt>
            <dd className="model-answer">{review.model_answer}</dd>
          </dl>
          {review.hints_used > 0 && (
            <p className="hint">
              {review.hints_used} hint{review.hints_used === 1 ? "" : "s"} used
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
