"""When the candidate's turn is over: a silence rule, the Smart Turn model and a look at the words.

Ending a turn too early cuts a thinking candidate off, which is what candidates hate most about AI interviewers;
ending it late only costs a moment. So a pause ends the turn at the first look (`silence_seconds`) only when the
words read as finished AND Smart Turn hears a finished utterance; finished words that Smart Turn is unsure of wait
a little longer (`unsure_seconds`); words that stop mid-thought, or a voice that plainly trails off, wait for the
longest thinking pause (`max_pause_seconds`).
The words carry most of it: Smart Turn hears synthetic and codec-worn speech poorly, and Whisper writes a phrase
cut off by a pause as if it were finished ("..., mostly with FastAPI and Postgres. End."), so the word it ends on,
a last "sentence" of one joining word, and a list announced but not yet gone through are the tells. When Whisper
turns the cut-off word into a finished one ("with a bad config push to" heard as "... push too."), it was unsure of
that word, or of the full stop after it: words the transcriber was unsure how they end are not taken as finished.
Words that read as finished but that a language model does not expect to end there ("the biggest mistake we made
was choosing": `sentence_end`) wait too.
"""

import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from mockroom.providers.stt.base import Ending
from mockroom.voice.sentence_end import reading


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A phrase that stops on one of these is going on: joining words, prepositions, articles, auxiliaries and the like.
_TRAILING = _word_set("""
    a an and as at because but by could for from if in into it's like my of or our should so
    than the then their to uh um umm er erm hmm which while with would will i i'd i'll i'm we we're we'd
    we'll your his its when where whether although though unless until since via per about using between through
    without within during toward towards across also just very really probably maybe basically actually either
    every some any what's there's they he she they're you're not plus versus
""")
# ...unless the last two words finish a common phrase ("I think so", "back then", "the team I worked with").
_FINISHED_PAIRS = frozenset({
    ("think", "so"), ("hope", "so"), ("believe", "so"), ("guess", "so"), ("said", "so"), ("do", "so"),
    ("since", "then"), ("by", "then"), ("back", "then"), ("until", "then"), ("even", "then"), ("just", "then"),
    ("worked", "with"), ("deal", "with"), ("dealt", "with"), ("work", "with"), ("proud", "of"), ("aware", "of"),
    ("logged", "in"), ("checked", "in"), ("opt", "in"), ("bought", "in"), ("fit", "in"), ("plugged", "in"),
    ("or", "not"), ("if", "not"), ("why", "not"), ("hopefully", "not"), ("probably", "not"), ("as", "well"),
})
# Sentence-ending words that only ever come in the middle of a spoken answer when they stand alone after a pause:
# Whisper's rendering of a trailing "and" ("End."), ordinals of a list in progress, fillers.
_FRAGMENTS = _word_set("""
    and end an um uh umm er erm hmm so but or because cause also then next first second secondly third thirdly
    fourth another plus like well okay ok right yeah anyway
""")
# Two-word endings that promise more.
_TRAILING_PAIRS = frozenset({
    ("which", "means"), ("that", "means"), ("the", "reason"), ("is", "that"), ("such", "as"), ("for", "example"),
    ("for", "instance"), ("rather", "than"), ("instead", "of"), ("so", "that"), ("in", "order"),
    ("you", "know"), ("i", "mean"), ("kind", "of"), ("sort", "of"), ("and", "then"), ("and", "so"),
    ("and", "also"), ("as", "in"), ("let", "me"), ("let's", "say"), ("i", "think"), ("i", "guess"),
})
# A list that has just named its next item has not said it yet ("First, messages get lost, and second").
_ORDINAL_WORDS = frozenset({"first", "firstly", "second", "secondly", "third", "thirdly", "fourth", "fifth", "lastly"})
# "The main reason was" goes on; "how far behind the consumers were" is finished: the wh-word took the complement.
_COPULAS = frozenset({"is", "are", "was", "were", "be", "been", "being"})
_WH_BEFORE = re.compile(r"\b(how|what|where|who|whoever|whatever|why|whether|wherever)\b")
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "couple": 2}
_ANNOUNCED = re.compile(
    r"\b(two|three|four|five|couple of)\s+(?:\w+\s+){0,2}?"
    r"(things|steps|reasons|ways|parts|points|options|approaches|layers|stages|phases|problems|issues|ideas|"
    r"questions|lessons|areas|factors|components|services|pieces|goals|changes|challenges|risks|metrics)\b"
)
_ORDINALS = re.compile(r"\b(first|firstly|second|secondly|third|thirdly|fourth|fifth|then|next|finally|lastly)\b")
_WORD = re.compile(r"[a-z']+")
_SENTENCE_END = re.compile(r"[.!?]+")
_LAST_WORD = re.compile(r"[\w'-]*[^\w'-]*$")

Decision = Literal["end", "wait"]


@dataclass(frozen=True)
class TurnPolicy:
    """The knobs of end-of-turn detection, in seconds (see the voice_* settings). Smart Turn between
    `smart_turn_floor` and `smart_turn_threshold` is unsure: finished words then end the turn at `unsure_seconds`.
    A transcript whose last word the transcriber gave less than `sure_last_word`, or whose closing mark it gave less
    than even odds (`sure_mark`: it thought the sentence as likely to go on), does not read as finished; nor do words
    after which the sentence-end model gives a sentence end less than `sure_sentence_end` (1 in 50).
    `sure_last_word` is the lowest value that lets no cut-off through on the dev half of bench/turn_corpus.py."""

    silence_seconds: float = 0.6
    max_pause_seconds: float = 2.5
    smart_turn_threshold: float = 0.5
    smart_turn_floor: float = 0.1
    unsure_seconds: float = 1.2
    sure_last_word: float = 0.6
    sure_mark: float = 0.5
    sure_sentence_end: float = 0.02

    @classmethod
    def from_settings(cls, settings: Any) -> "TurnPolicy":
        """The policy the voice_* settings give."""
        return cls(
            silence_seconds=settings.voice_turn_silence_seconds, max_pause_seconds=settings.voice_max_pause_seconds,
            smart_turn_threshold=settings.voice_smart_turn_threshold, smart_turn_floor=settings.voice_smart_turn_floor,
            unsure_seconds=settings.voice_turn_unsure_seconds, sure_last_word=settings.voice_sure_last_word,
            sure_mark=settings.voice_sure_mark, sure_sentence_end=settings.voice_sure_sentence_end,
        )


@dataclass(frozen=True)
class Verdict:
    """How much silence ends the turn, judged at the first look, and why."""

    end_after: float
    reason: str

    def decision(self, policy: TurnPolicy) -> Decision:
        """"end" when the first look ends the turn, else "wait"."""
        return "end" if self.end_after <= policy.silence_seconds else "wait"


def unfinished_reason(text: str) -> str | None:
    """Why the words stop mid-thought, or None when they read as finished."""
    stripped = text.strip()
    if not stripped:
        return "nothing said"
    if stripped.endswith(("...", "…", ",", "-", "—", ":", ";")):
        return "trailing punctuation"
    words = _WORD.findall(stripped.lower())
    if not words:
        return "nothing said"
    if words[-1] in _ORDINAL_WORDS:
        return f"a list goes on: '{words[-1]}'"
    if words[-1] in _COPULAS and not _WH_BEFORE.search(" ".join(words[-8:-1])):
        return f"ends on '{words[-1]}'"
    if words[-1] in _TRAILING and tuple(words[-2:]) not in _FINISHED_PAIRS:
        return f"ends on '{words[-1]}'"
    if len(words) >= 2 and (words[-2], words[-1]) in _TRAILING_PAIRS:
        return f"ends on '{words[-2]} {words[-1]}'"
    sentences = [s for s in _SENTENCE_END.split(stripped.lower()) if _WORD.search(s)]
    last = _WORD.findall(sentences[-1]) if sentences else []
    if len(sentences) > 1 and 0 < len(last) <= 2 and all(word in _FRAGMENTS for word in last):
        return f"a fragment: '{' '.join(last)}'"
    if _list_in_progress(stripped.lower()):
        return "a list in progress"
    return None


def looks_unfinished(text: str) -> bool:
    """True when the words stop mid-thought: nothing said, a trailing ellipsis, comma or joining word, a lone
    joining word or ordinal after a finished sentence, or a list announced and not yet gone through."""
    return unfinished_reason(text) is not None


def _list_in_progress(text: str) -> bool:
    """"There are three reasons: first, ..., second, ..." with fewer items begun than announced."""
    matches = list(_ANNOUNCED.finditer(text))
    if not matches:
        return False
    announced = matches[-1]
    count = _COUNTS.get(announced.group(1).split()[0], 2)
    items = len(_ORDINALS.findall(text[announced.end():]))
    return 0 < items < count


def judge(
    *, policy: TurnPolicy, smart_turn_probability: float, text: str, ending: Ending | None = None,
    sentence_end: float | None = None,
) -> Verdict:
    """The silence after which the turn ends, given the words so far, how sure the transcriber was of how they end,
    how likely a language model thought a sentence end after them (`sentence_end`, None when not read), and Smart
    Turn's reading of the voice."""
    reason = unfinished_reason(text) or unsure_ending(policy, ending, text)
    if reason is not None:
        return Verdict(policy.max_pause_seconds, reason)
    if sentence_end is not None and sentence_end < policy.sure_sentence_end:
        return Verdict(policy.max_pause_seconds, f"the sentence is not expected to end there ({sentence_end:.3f})")
    if smart_turn_probability >= policy.smart_turn_threshold:
        return Verdict(policy.silence_seconds, f"finished (Smart Turn {smart_turn_probability:.2f})")
    if smart_turn_probability >= policy.smart_turn_floor:
        return Verdict(policy.unsure_seconds, f"finished words, unsure voice (Smart Turn {smart_turn_probability:.2f})")
    return Verdict(policy.max_pause_seconds, f"sounds unfinished (Smart Turn {smart_turn_probability:.2f})")


def wants_sentence_end(policy: TurnPolicy, text: str, ending: Ending | None, smart_turn_probability: float) -> bool:
    """Whether the sentence-end model's reading could change the verdict: the words read as finished and Smart Turn
    does not already hold the turn open for the longest pause."""
    return (
        policy.sure_sentence_end > 0 and smart_turn_probability >= policy.smart_turn_floor
        and unfinished_reason(text) is None and unsure_ending(policy, ending, text) is None
    )


def unsure_ending(policy: TurnPolicy, ending: Ending | None, text: str) -> str | None:
    """Why the transcript's ending is not to be trusted as finished, or None. A last word the transcriber was unsure
    of counts when it may be a word cut short: when it does not say what else it nearly wrote, or when one of those
    words in its place would leave `text` unfinished ("push too." next to " to"); a term it did not know, with
    only other spellings next to it, does not."""
    if ending is None:
        return None
    if ending.last_word < policy.sure_last_word and (
        ending.alternatives is None or any(_unfinished_with(text, word) for word in ending.alternatives)
    ):
        return f"unsure of the last word ({ending.last_word:.2f})"
    if ending.mark is not None and ending.mark < policy.sure_mark:
        return f"unsure the sentence ends there ({ending.mark:.2f})"
    return None


def _unfinished_with(text: str, word: str) -> bool:
    """Whether `text` with its last word replaced by `word` reads as unfinished."""
    head = _LAST_WORD.sub("", text.rstrip())
    return unfinished_reason(f"{head} {word}".strip()) is not None


def decide(
    *, policy: TurnPolicy, silence: float, smart_turn_probability: float, text: str, ending: Ending | None = None,
    sentence_end: float | None = None,
) -> Decision:
    """Whether the turn is over after `silence` seconds: never before the turn silence, always after the longest
    thinking pause, in between as `judge` says."""
    if silence >= policy.max_pause_seconds:
        return "end"
    if silence < policy.silence_seconds:
        return "wait"
    verdict = judge(
        policy=policy, smart_turn_probability=smart_turn_probability, text=text, ending=ending,
        sentence_end=sentence_end,
    )
    return "end" if silence >= verdict.end_after else "wait"


def smart_turn_probability(smart_turn: Any, pcm: bytes) -> float:
    """Smart Turn's probability that the 16 kHz utterance in `pcm` is complete (it reads the last 8 s)."""
    samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
    # pipecat exposes no public single-shot call.
    return float(smart_turn._predict_endpoint(samples)["probability"])


@dataclass(frozen=True)
class PauseAssessment:
    """What the listener concludes at a pause (for the benchmark and the logs). `compute_seconds` is what the turn's
    end waits on (the transcript and Smart Turn); `reading_seconds` the sentence-end reading after it, which the
    listener does not wait on (it holds the reply instead)."""

    decision: Decision
    end_after: float
    text: str
    smart_turn_probability: float
    reason: str
    compute_seconds: float
    ending: Ending | None = None
    sentence_end: float | None = None
    reading_seconds: float = 0.0


def assess_pause(
    *, stt: Any, smart_turn: Any, pcm: bytes, sample_rate: int, policy: TurnPolicy, sentence_end_model: Any = None
) -> PauseAssessment:
    """The verdict the listener reaches at a pause after `pcm` (16 kHz): the same transcript, Smart Turn reading and
    sentence-end reading it uses, taken as it takes them (the transcript and Smart Turn at once on two threads, then
    the sentence end when the words read as finished)."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        transcript = pool.submit(stt.transcribe, pcm, sample_rate)
        probability = smart_turn_probability(smart_turn, pcm)
        heard = transcript.result()
    computed = time.perf_counter()
    sentence_end = (
        reading(sentence_end_model, heard.text)
        if wants_sentence_end(policy, heard.text, heard.ending, probability) else None
    )
    verdict = judge(
        policy=policy, smart_turn_probability=probability, text=heard.text, ending=heard.ending,
        sentence_end=sentence_end,
    )
    return PauseAssessment(
        decision=verdict.decision(policy), end_after=verdict.end_after, text=heard.text,
        smart_turn_probability=probability, reason=verdict.reason, compute_seconds=computed - started,
        ending=heard.ending, sentence_end=sentence_end, reading_seconds=time.perf_counter() - computed,
    )
