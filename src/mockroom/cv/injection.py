"""Spots text that addresses the AI (prompt injection) inside candidate-supplied data: CVs, answers, job ads."""

import re
import unicodedata

_PATTERNS = [
    # Overriding what the model was told.
    r"\b(?:ignore|disregard|forget)\s+(?:(?:all|any|every)\s+)?(?:of\s+)?(?:(?:the|your|my|these|those|its)\s+)?"
    r"(?:(?:previous|prior|above|earlier|preceding|original|initial|system|given|following|other)\s+)?"
    r"(?:instructions?|prompts?|directions|directives|guidelines|guardrails|rules|commands)\b",
    r"\b(?:override|bypass)\s+(?:all|any|the|your|these|its|previous|prior|system)\s+(?:\w+\s+)?"
    r"(?:instructions|prompts?|directives|guardrails|safety\s+rules)\b",
    r"\b(?:ignore|disregard|forget)\s+(?:(?:all|any|every|the|your|my)\s+)?"
    r"(?:previous|prior|above|earlier|preceding|foregoing)\b",
    r"\b(?:ignore|disregard|forget)\s+(?:everything|anything|all)\s+(?:above|before|earlier|else|you\b|that\b|i\b)",
    r"\b(?:new|updated|revised|real|actual|hidden|secret)\s+(?:system\s+)?instructions?\s*[:\-]",
    r"\bfrom\s+now\s+on\b[^.]{0,40}\byou\b",
    r"\byou\s+are\s+(?:now|no\s+longer)\b",
    r"\byour\s+(?:new|real|actual)\s+(?:role|task|instructions?|persona|goal|objective)\b",
    r"\byou\s+(?:will|must|should|shall|need\s+to)\s+(?:now\s+)?(?:act|behave|pretend|roleplay|role-play)\b",
    r"\bpretend\s+(?:to\s+be|that\s+you|you\s+are)\b",
    r"\b(?:role-?play|act)\s+as\s+(?:if|though)\s+you\b",
    # Talking to the machinery by name.
    r"^\W*(?:system|assistant|system\s+prompt|system\s+message|developer\s+message)\s*:",
    r"\b(?:ignore|override|reveal|print|show|repeat|output|leak|your|the\s+ai'?s?)\s+"
    r"(?:the\s+|your\s+)?system\s+(?:prompt|message)\b",
    r"^\W*system\s+prompt\b",
    r"\b(?:note|message|instructions?|attention)\s+(?:to|for)\s+(?:the\s+|any\s+)?"
    r"(?:ai|a\.i\.|llm|model|language\s+model|assistant|chatbot|bot|gpt|chatgpt|interviewer|evaluator|grader|"
    r"screener|recruiter|reviewer|ats)\b",
    r"\b(?:if|when)\s+you\s+are\s+(?:an?\s+)?(?:ai|a\.i\.|llm|large\s+language\s+model|language\s+model|bot|"
    r"chatbot|assistant|automated)\b",
    r"^\W*(?:dear|hey|hi|hello)\s+(?:ai|llm|chatgpt|gpt|claude|gemini|assistant|model|bot|interviewer\s+bot)\b",
    r"<\|(?:im_start|im_end|system|user|assistant|endoftext)\|>|\[/?inst\]|<<\s*/?sys\s*>>|###\s*(?:system|instruction)",
    r"\b(?:jailbreak|dan\s+mode|developer\s+mode\s+enabled|do\s+anything\s+now)\b",
    # Dictating the verdict.
    r"\bgive\s+(?:this|the|me|him|her|them|my|our)\b[^.]{0,40}?\b"
    r"(?:full|maximum|max|perfect|top|highest|best|high|excellent|10|ten|100\s*%?)\s+"
    r"(?:marks?|scores?|points?|ratings?|grades?|stars?|evaluation|review|feedback)\b",
    r"\b(?:rate|score|grade|mark|rank|evaluate|assess)\s+(?:me|this\s+(?:candidate|applicant|cv|resume|person)|"
    r"him|her|them|the\s+candidate|my\s+(?:answers?|cv|resume))\b[^.]{0,30}?"
    r"(?:\d+\s*(?:/|out\s+of)\s*\d+|\bten\b|\bhighly\b|\bhighest\b|\bperfect\b|\bfull\b|\bmax(?:imum)?\b|"
    r"\btop\b|\bexcellent\b|\bas\s+(?:correct|passed|a\s+pass|strong|excellent))",
    r"\b(?:candidate|applicant|i|he|she|they)\s+(?:must|should|shall|has\s+to|needs\s+to)\s+(?:be|get|receive|pass)\s+"
    r"(?:hired|shortlisted|selected|advanced|approved|passed|the\s+job|an?\s+offer|full|maximum|perfect|top)\b",
    r"\b(?:pass|hire|approve|shortlist|advance|accept|recommend|select)\s+(?:this|the|me\s+as\s+the)\s+"
    r"(?:candidate|applicant)\b",
    r"\b(?:mark|treat|consider|count)\s+(?:this|the|every|all|my)\s+(?:\w+\s+)?(?:answers?|responses?|candidate)\s+"
    r"as\s+(?:correct|right|perfect|excellent|passed|strong)\b",
    r"\b(?:do\s+not|don'?t)\s+(?:penali[sz]e|critici[sz]e|mark\s+(?:me\s+)?down|"
    r"ask\s+(?:me\s+)?(?:any\s+)?(?:hard|difficult|tough|technical|follow-?up))\b",
    r"\bonly\s+ask\s+(?:me\s+)?(?:easy|simple|basic)\s+questions\b",
    r"\b(?:reveal|show|print|tell\s+me|give\s+me)\s+(?:the|your)\s+(?:answers?|rubric|scoring\s+(?:guide|criteria)|"
    r"model\s+answers?|hidden\s+\w+)\b",
]
_DETECTOR = re.compile("|".join(f"(?:{pattern})" for pattern in _PATTERNS), re.IGNORECASE | re.MULTILINE)
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def looks_like_instruction(text: str) -> bool:
    """Whether the text addresses an AI or the interviewer with instructions (English patterns)."""
    return _DETECTOR.search(_canonical(text=text)) is not None


def _canonical(*, text: str) -> str:
    """Text with look-alike characters folded, invisible characters dropped and whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).replace("’", "'")
    return "\n".join(re.sub(r"\s+", " ", line).strip() for line in folded.splitlines())
