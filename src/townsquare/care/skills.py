"""Skill lists (an agent's skills, a queue's required skills): short, distinct names."""

MAX_SKILLS = 50
MAX_SKILL_LENGTH = 50


def validate_skills(skills) -> list[str]:
    """The skills as a sorted list of distinct names; raises ValueError saying what is wrong."""
    if skills is None:
        return []
    if not isinstance(skills, list):
        raise ValueError('skills must be a list of names such as ["billing", "refunds"]')
    if not all(isinstance(skill, str) and 0 < len(skill.strip()) <= MAX_SKILL_LENGTH for skill in skills):
        raise ValueError(f"each skill is a non-empty name of at most {MAX_SKILL_LENGTH} characters")
    names = sorted({skill.strip() for skill in skills})
    if len(names) > MAX_SKILLS:
        raise ValueError(f"at most {MAX_SKILLS} skills")
    return names
