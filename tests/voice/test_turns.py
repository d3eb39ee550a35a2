"""End-of-turn rules, sentence streaming, latency and lip-sync timing: no models needed."""

import itertools

import numpy as np

from mockroom.providers.stt.base import Ending
from mockroom.providers.tts.base import SpeechChunk, WordTiming, energy_envelope, spread_words
from mockroom.voice.latency import TurnLatency
from mockroom.voice.sentences import SentenceStream
from mockroom.voice.state import Segment, SpokenReply, VoiceState
from mockroom.voice.turns import TurnPolicy, decide, judge, looks_unfinished, wants_sentence_end

POLICY = TurnPolicy(silence_seconds=0.6, max_pause_seconds=2.5, smart_turn_threshold=0.5)


def test_unfinished_phrases_are_recognised() -> None:
    assert looks_unfinished("I would put a hash map in front of the database, and...")
    assert looks_unfinished("My first step would be to um.")
    assert looks_unfinished("")
    assert not looks_unfinished("I would use a hash map.")


def test_words_the_transcriber_was_unsure_how_they_end_do_not_read_as_finished() -> None:
    # Whisper's readings at a pause after "with a bad config push to" and "a race condition in the" (the corpus).
    cut_off = "The incident started with a bad config push too."
    assert judge(policy=POLICY, smart_turn_probability=0.99, text=cut_off).end_after == 0.6
    unsure_word = judge(
        policy=POLICY, smart_turn_probability=0.99, text=cut_off, ending=Ending(last_word=0.49, mark=0.96)
    )
    assert unsure_word.end_after == 2.5 and "last word" in unsure_word.reason
    unsure_mark = judge(
        policy=POLICY, smart_turn_probability=0.99, text="The hardest bug was a race condition in the handling.",
        ending=Ending(last_word=0.97, mark=0.31),
    )
    assert unsure_mark.end_after == 2.5 and "ends there" in unsure_mark.reason
    for ending in (Ending(last_word=0.99, mark=0.95), Ending(last_word=0.9)):
        assert judge(policy=POLICY, smart_turn_probability=0.99, text="We chose to migrate.", ending=ending).end_after \
            == 0.6
    # The words' own tells still come first.
    assert "ends on" in judge(
        policy=POLICY, smart_turn_probability=0.99, text="We chose Postgres and", ending=Ending(last_word=0.99)
    ).reason


def test_an_unsure_last_word_holds_the_turn_only_when_a_word_it_nearly_wrote_leaves_the_words_unfinished() -> None:
    # Whisper's readings (bench/turn_taking.py, tests/providers/stt/test_whisper_ending.py).
    cut_off = "The incident started with a bad config push too."
    near_to = Ending(last_word=0.47, mark=0.96, alternatives=("to", "tube"))
    assert judge(policy=POLICY, smart_turn_probability=0.98, text=cut_off, ending=near_to).end_after == 2.5
    near_with = Ending(last_word=0.38, mark=0.79, alternatives=("width", "will", "in", "with"))
    assert judge(policy=POLICY, smart_turn_probability=0.96, text="I write down the data model win.",
                 ending=near_with).end_after == 2.5
    jargon = "Decorators wrap a function, and functools wraps keeps its name and dox string."
    spellings = Ending(last_word=0.20, mark=0.99, alternatives=("string", "tering", "ring", "ling"))
    assert judge(policy=POLICY, smart_turn_probability=0.95, text=jargon, ending=spellings).end_after == 0.6
    # An engine that does not say what else it heard (Deepgram) keeps the cautious reading.
    assert judge(policy=POLICY, smart_turn_probability=0.95, text=jargon, ending=Ending(last_word=0.20)).end_after \
        == 2.5


def test_the_ending_checks_come_from_the_settings_and_zero_turns_them_off() -> None:
    from mockroom.core.config import Settings

    unsure = Ending(last_word=0.25, mark=0.3)
    text = "Decorators wrap a function, and functools wraps keeps its name and dox string."
    default = TurnPolicy.from_settings(Settings())
    assert (default.sure_last_word, default.sure_mark) == (0.6, 0.5)
    assert judge(policy=default, smart_turn_probability=0.99, text=text, ending=unsure).end_after == 2.5
    off = TurnPolicy.from_settings(Settings(voice_sure_last_word=0, voice_sure_mark=0))
    assert judge(policy=off, smart_turn_probability=0.99, text=text, ending=unsure).end_after == 0.6


def test_finished_looking_words_the_sentence_end_model_does_not_expect_to_end_wait_for_the_longest_pause() -> None:
    # The sentence-end model's readings (bench/turn_taking.py) after "... was choosing" and "... on top of it".
    text = "I think the biggest mistake we made was choosing."
    assert judge(policy=POLICY, smart_turn_probability=0.84, text=text).end_after == 0.6
    going_on = judge(policy=POLICY, smart_turn_probability=0.84, text=text, sentence_end=0.001)
    assert going_on.end_after == 2.5 and "not expected to end" in going_on.reason
    finished = judge(policy=POLICY, smart_turn_probability=0.98, text="We built it on top of Kafka.", sentence_end=0.41)
    assert finished.end_after == 0.6
    # Read only when it could change the verdict: not for words that already read as unfinished or unsure, nor when
    # Smart Turn already holds the turn open.
    assert wants_sentence_end(POLICY, text, Ending(last_word=0.95, mark=0.8), 0.84)
    assert not wants_sentence_end(POLICY, "We chose Postgres and", None, 0.84)
    assert not wants_sentence_end(POLICY, text, Ending(last_word=0.3, mark=0.9), 0.84)
    assert not wants_sentence_end(POLICY, text, None, 0.05)
    assert decide(policy=POLICY, silence=1.3, smart_turn_probability=0.99, text=text, sentence_end=0.001) == "wait"


def test_the_sentence_end_check_comes_from_the_settings_and_zero_turns_it_off() -> None:
    from mockroom.core.config import Settings

    text = "I think the biggest mistake we made was choosing."
    default = TurnPolicy.from_settings(Settings())
    assert default.sure_sentence_end == 0.02
    assert judge(policy=default, smart_turn_probability=0.99, text=text, sentence_end=0.01).end_after == 2.5
    off = TurnPolicy.from_settings(Settings(voice_sure_sentence_end=0))
    assert judge(policy=off, smart_turn_probability=0.99, text=text, sentence_end=0.01).end_after == 0.6
    assert not wants_sentence_end(off, text, None, 0.99)


def test_whisper_renderings_of_a_phrase_cut_off_by_a_pause_read_as_unfinished() -> None:
    # What the embedded Whisper wrote for answers stopped at a thinking pause (bench/turn_taking.py's corpus).
    for text in (
        "I have spent five years building payment services in Python, mostly with fast API and posters. End.",
        "We had to rewrite the whole thing and go. So.",
        "I led a team of four engineers and we shipped the new billing system. But.",
        "There were two problems with the old Q. First, messages could get lost and second.",
        "There are three reasons: first, cost, second, speed.",
        "The main thing I learned from that outage was.",
        "I think good product sense comes down to...",
        "So my approach would be to first profile the query, um.",
        "The hardest part was, you know",
    ):
        assert looks_unfinished(text), text


def test_finished_sentences_that_end_on_a_small_word_read_as_finished() -> None:
    for text in (
        "Nobody could tell how far behind the consumers were.",
        "That is what the problem was.",
        "I think so.",
        "It worked as well.",
        "There are three reasons: first, cost, second, speed, and third, safety.",
        "That was the team I worked with.",
        "Thank you.",
    ):
        assert not looks_unfinished(text), text


def test_turn_ends_only_when_model_and_words_agree_or_the_pause_is_too_long() -> None:
    assert decide(policy=POLICY, silence=0.3, smart_turn_probability=0.99, text="Done.") == "wait"
    assert decide(policy=POLICY, silence=0.7, smart_turn_probability=0.99, text="Done.") == "end"
    assert decide(policy=POLICY, silence=0.7, smart_turn_probability=0.05, text="Done.") == "wait"
    assert decide(policy=POLICY, silence=1.5, smart_turn_probability=0.99, text="I would use the") == "wait"
    assert decide(policy=POLICY, silence=2.6, smart_turn_probability=0.0, text="I would use the") == "end"


def test_finished_words_that_smart_turn_is_unsure_of_wait_a_little_longer() -> None:
    unsure = judge(policy=POLICY, smart_turn_probability=0.3, text="We chose to migrate.")
    assert POLICY.silence_seconds < unsure.end_after == POLICY.unsure_seconds < POLICY.max_pause_seconds
    assert decide(policy=POLICY, silence=0.7, smart_turn_probability=0.3, text="We chose to migrate.") == "wait"
    assert decide(policy=POLICY, silence=1.3, smart_turn_probability=0.3, text="We chose to migrate.") == "end"
    assert judge(policy=POLICY, smart_turn_probability=0.05, text="We chose to migrate.").end_after == 2.5
    assert judge(policy=POLICY, smart_turn_probability=0.99, text="We chose the").end_after == 2.5


def test_sentences_come_out_as_soon_as_they_are_complete() -> None:
    stream = SentenceStream()
    assert stream.feed("Thanks. Dr. Smith") == ["Thanks."]
    assert stream.feed(" asked about e.g. caching! What would") == ["Dr. Smith asked about e.g. caching!"]
    assert stream.feed(" you do?") == []
    assert stream.flush() == "What would you do?"


def test_latency_breakdown_is_in_milliseconds_from_end_of_speech() -> None:
    latency = TurnLatency(speech_ended=100.0, transcript=100.5, first_brain_output=100.7)
    assert not latency.complete
    latency.first_tts_audio, latency.first_audio_sent = 100.75, 100.8
    assert latency.complete
    assert latency.breakdown() == {
        "transcript_ms": 500, "first_brain_output_ms": 700, "first_tts_audio_ms": 750,
        "first_audio_sent_ms": 800, "voice_to_voice_ms": 800,
    }


def test_energy_envelope_follows_loudness() -> None:
    rate = 24_000
    loud = (np.sin(np.arange(rate // 10) / 5) * 20_000).astype("<i2").tobytes()
    silent = bytes(rate // 10 * 2)
    envelope = energy_envelope(silent + loud, rate)
    assert len(envelope) == 10
    assert max(envelope[:5]) == 0.0 and min(envelope[5:]) > 0.8


def test_spread_words_cover_the_audio_in_order() -> None:
    words = spread_words("Tell me about caching", 2.0)
    assert [w.text for w in words] == ["Tell", "me", "about", "caching"]
    assert words[0].start == 0.0 and abs(words[-1].end - 2.0) < 0.01
    assert all(a.end <= b.start + 1e-9 for a, b in itertools.pairwise(words))


def test_interrupted_reply_keeps_the_words_heard() -> None:
    chunk = SpeechChunk(pcm=bytes(48_000), sample_rate=24_000, text="One two. ", words=[
        WordTiming("One", 0.0, 0.4), WordTiming("two.", 0.4, 1.0)])
    second = SpeechChunk(pcm=bytes(48_000), sample_rate=24_000, text="Three.", words=[WordTiming("Three.", 0.0, 1.0)])
    reply = SpokenReply(reply_id="r", segments=[Segment(0.0, chunk), Segment(1.0, second)], played_seconds=0.8)
    assert reply.spoken_text() == "One two."
    reply.played_seconds = 1.2
    assert reply.spoken_text() == "One two."
    reply.played_seconds = 1.6
    assert reply.spoken_text() == "One two. Three."


def test_interviewer_is_busy_until_its_reply_has_been_heard() -> None:
    async def notify(_: dict[str, object]) -> None:
        return None

    state = VoiceState(interview_id="i", notify=notify)
    assert not state.interviewer_busy()
    state.composing = True
    assert state.interviewer_busy()
    state.composing = False
    state.reply = SpokenReply(reply_id="r", synthesized_seconds=2.0005, played_seconds=1.2)
    assert state.interviewer_busy()
    state.reply.played_seconds = 2.0
    assert not state.interviewer_busy(), "heard in full (to the frame): the next words are a new turn"
    state.bot_speaking = True
    assert state.interviewer_busy()
