// The app's view of the API, derived from the generated OpenAPI types (schema.gen.ts).
// Routes are matched by shape, not by path-parameter name, so `{id}` and `{interview_id}`
// both work; a route or field the server no longer has turns into a type error in the app.
import type { paths } from "./schema.gen";

type Route<P extends string> = Extract<keyof paths, P>;
type Operation<P extends string, M extends string> = paths[Route<P>] extends infer R
  ? R extends Record<M, infer Op>
    ? Op
    : never
  : never;
type JsonContent<R> = R extends { content: { "application/json": infer T } } ? T : never;
type SuccessBody<Op> = Op extends { responses: infer R }
  ? JsonContent<R[Extract<keyof R, 200 | 201 | "200" | "201">]>
  : never;
type JsonRequest<Op> = Op extends { requestBody?: infer B } ? JsonContent<NonNullable<B>> : never;
/** A type that vanished from the schema becomes an object no app code can use by accident. */
type Present<T, Name extends string> = [T] extends [never] ? { __missing_from_api_schema: Name } : T;

type InterviewRoute = `/api/interviews/{${string}}`;
type Element<T> = T extends readonly (infer E)[] ? E : never;

export type Topic = Present<Element<SuccessBody<Operation<"/api/topics", "get">>>, "Topic">;
export type CvParseResult = Present<SuccessBody<Operation<"/api/cv/parse", "post">>, "CV parse result">;
export type CvProfile = CvParseResult["profile"];
export type CvExperience = Element<CvProfile["experience"]>;

export type InterviewCreate = Present<JsonRequest<Operation<"/api/interviews", "post">>, "InterviewCreate">;
export type Interview = Present<SuccessBody<Operation<InterviewRoute, "get">>, "Interview">;
export type InterviewCreated = Present<SuccessBody<Operation<"/api/interviews", "post">>, "Interview">;
export type Message = Element<Interview["messages"]>;
export type Progress = Interview["progress"];
export type Level = Interview["level"];
export type Kind = Interview["kind"];
export type InterviewStatus = Interview["status"];

export type AnswerRequest = Present<JsonRequest<Operation<`${InterviewRoute}/answer`, "post">>, "AnswerRequest">;
export type AnswerResponse = Present<SuccessBody<Operation<`${InterviewRoute}/answer`, "post">>, "AnswerResponse">;

export type Report = Present<SuccessBody<Operation<`${InterviewRoute}/report`, "get">>, "Report">;
export type ReportFromEnd = Present<SuccessBody<Operation<`${InterviewRoute}/end`, "post">>, "Report">;
export type Recommendation = Report["recommendation"];
export type Dimension = Element<Report["dimensions"]>;
export type Strength = Element<Report["strengths"]>;
export type Improvement = Element<Report["improvements"]>;
export type QuestionReview = Element<Report["questions"]>;
export type Analytics = Report["analytics"];
export type VoiceLatency = NonNullable<Report["voice_latency"]>;
export type VoiceLatencyTurn = Element<VoiceLatency["turns"]>;

export type InterviewSummary = Present<Element<SuccessBody<Operation<"/api/interviews", "get">>>, "InterviewSummary">;

export type TranscriptFormat = "md" | "txt" | "json";

export type CodingExercise = NonNullable<Interview["coding"]>;
export type CodingLanguage = Element<CodingExercise["languages"]>;
export type CodingRunSummary = Element<CodingExercise["runs"]>;
export type CodeRequest = Present<JsonRequest<Operation<`${InterviewRoute}/code/run`, "post">>, "CodeIn">;
export type LanguageId = CodeRequest["language"];
export type CodeRunResult = Present<SuccessBody<Operation<`${InterviewRoute}/code/run`, "post">>, "CodeRunOut">;
export type CodeTestResult = Element<CodeRunResult["tests"]>;
export type HintResult = Present<SuccessBody<Operation<`${InterviewRoute}/code/hint`, "post">>, "HintOut">;

/** The problem as the candidate sees it (no hidden tests, hints or reference solutions). */
export type CodingProblem = CodingExercise["problem"];

export type VoiceStatus = Present<SuccessBody<Operation<"/api/voice", "get">>, "VoiceStatus">;

export type Me = Present<SuccessBody<Operation<"/api/auth/me", "get">>, "MeOut">;
export type User = Me["user"];
/** `local`: one user and no sign-in; `accounts`: everyone signs in. */
export type AuthMode = Me["mode"];
export type Credentials = Present<JsonRequest<Operation<"/api/auth/login", "post">>, "Credentials">;
export type SignedIn = Present<SuccessBody<Operation<"/api/auth/login", "post">>, "LoginOut">;
export type Registered = Present<SuccessBody<Operation<"/api/auth/register", "post">>, "RegisterOut">;
export type PasswordChange = Present<JsonRequest<Operation<"/api/auth/password", "post">>, "PasswordChange">;
export type AccountDeletion = Present<JsonRequest<Operation<"/api/auth/me", "delete">>, "AccountDeletion">;
/** Everything the server keeps about the account; the app only saves it as a file. */
export type AccountExport = SuccessBody<Operation<"/api/auth/export", "get">>;

export type UserUsage = Present<Element<SuccessBody<Operation<"/api/admin/users", "get">>>, "UserUsageOut">;
export type DisabledChange = Present<
  JsonRequest<Operation<`/api/admin/users/{${string}}/disabled`, "put">>,
  "DisabledIn"
>;
export type UpdatedUser = Present<SuccessBody<Operation<`/api/admin/users/{${string}}/disabled`, "put">>, "UserOut">;

export type ProgressOverview = Present<SuccessBody<Operation<"/api/progress", "get">>, "UserProgressOut">;
export type TopicProgress = Element<ProgressOverview["topics"]>;
export type ProgressPoint = Element<TopicProgress["points"]>;
export type DimensionTrend = Element<ProgressOverview["dimensions"]>;
export type ImprovementTheme = Element<ProgressOverview["themes"]>;
export type PracticeStep = Element<ProgressOverview["plan"]>;
