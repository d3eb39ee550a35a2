from mockroom.questions.templates import fill, load_templates
from mockroom.text.signals import SIGNALS


def test_every_template_fills_to_one_question_with_a_rubric():
    templates = load_templates()
    singles = [templates[k] for k in ("intro", "cv_highlight", "cv_role", "cv_project", "job_requirement",
                                      "job_action", "job_general")]
    competency = [t for level in templates["competency"].values() for t in level]
    for template in singles + competency:
        draft = fill(template, ref="r", kind="behavioral", topic="beekeeping", role="Engineer", company="Acme",
                     project="Hive", highlight="built a hive monitor", requirement="experience with bees")
        assert draft.text.count("?") == 1 and draft.text.endswith("?")
        assert "{" not in draft.text and len(draft.key_points) >= 2
        assert all(f.text.count("?") == 1 for f in draft.follow_ups)
        assert all(f.point is None or 0 <= f.point < len(draft.key_points) for f in draft.follow_ups)
        assert set(draft.signals.values()) <= set(SIGNALS)
