"""Figures in words, as the pages, chart tooltips and the figure template filter write them."""

import pytest
from django.template import Context, Template

from townsquare.insights.display import duration_text, figure_text
from townsquare.insights.figures import Figure


@pytest.mark.parametrize(
    ("figure", "text"),
    [
        (Figure(720.0, 340, (540.0, 900.0), "seconds"), "12 min (95% CI 9–15), n = 340"),
        (Figure(45.0, 12, (30.0, 61.0), "seconds"), "45 s (95% CI 30–61), n = 12"),
        (Figure(3 * 3600.0, 25, (2.5 * 3600, 4 * 3600.0), "seconds"), "3 h (95% CI 2.5–4), n = 25"),
        (Figure(3 * 86400.0, 25, None, "seconds"), "3 d, n = 25"),
        (Figure(0.834, 1200, (0.812, 0.855), "share"), "83% (95% CI 81–86), n = 1,200"),
        (Figure(4.25, 30, (3.9, 4.6), "score"), "4.2 (95% CI 3.9–4.6), n = 30"),
        (Figure(340.0, 340, (305.0, 378.0), "count"), "340 (95% CI 305–378), n = 340"),
        (Figure(600.0, 4, (60.0, 900.0), "seconds"), "not enough data (n = 4)"),
        (Figure(None, 0, None, "seconds"), "not enough data (n = 0)"),
    ],
)
def test_a_figure_says_value_interval_and_n(figure, text):
    assert figure_text(figure) == text


def test_exact_values_are_shown_as_given():
    assert figure_text(12.5) == "12.5"
    assert figure_text(1200) == "1,200"
    assert figure_text("GBP") == "GBP"
    assert figure_text(None) == "—"


def test_durations_pick_their_unit():
    assert [duration_text(s) for s in (30, 600, 7200, 3 * 86400, None)] == [
        "30 s",
        "10 min",
        "2 h",
        "3 d",
        "—",
    ]


def test_the_template_filters():
    template = Template(
        "{% load insights_figures %}"
        "{{ f|figure }} | {{ f|figure_value }} | {{ f|sample_size }} | {{ f|too_small }}"
    )
    rendered = template.render(Context({"f": Figure(720.0, 340, (540.0, 900.0), "seconds")}))
    assert rendered == "12 min (95% CI 9–15), n = 340 | 12 min | n = 340 | False"
    thin = template.render(Context({"f": Figure(1.0, 4, None, "share")}))
    assert thin == "not enough data (n = 4) | not enough data | n = 4 | True"
