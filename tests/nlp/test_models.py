"""The shipped models predict on real snippets; the plan-theme classifier works with no labels and
learns from confirmed ones; ``loa nlp predict`` speaks JSON lines."""

import io
import json
import sys

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from loa.nlp import models
from loa.nlp.themes import ThemeClassifier


@pytest.mark.parametrize("name", ["sentiment", "sentiment-bulk"])
def test_sentiment_models_read_student_feedback(name):
    model = models.load(name)
    assert model.classes == ["negative", "neutral", "positive"]
    got = model.predict(
        [
            "thầy dạy rất nhiệt tình , dễ hiểu và vui tính",
            "phòng học quá nóng , máy chiếu hỏng mà không ai sửa",
        ]
    )
    assert [p.label for p in got] == ["positive", "negative"]
    assert all(0.33 < p.score <= 1 for p in got)


def test_the_topic_model_reads_news():
    got = models.load("topic").predict(
        [
            "Đội tuyển Việt Nam thắng Thái Lan 2-1 trong trận chung kết, tiền đạo ghi bàn phút cuối",
            "Bệnh viện tiếp nhận nhiều ca sốt xuất huyết, bác sĩ khuyến cáo phòng bệnh",
        ]
    )
    assert [p.label for p in got] == ["The thao", "Suc khoe"]


def test_models_are_plain_arrays_with_their_provenance():
    files = sorted(models.MODELS.glob("*.npz"))
    assert len(files) >= 5
    for path in files:
        z = np.load(path, allow_pickle=False)
        meta = json.loads(str(z["meta"]))
        assert "test" not in meta["trained_on"] and meta["rows"] > 1000
    ensemble = models.load("sentiment")
    assert isinstance(ensemble, models.EnsembleModel) and len(ensemble.members) == 3
    assert ensemble.bias.tolist() == [0.0, -0.25, 0.0]


def test_empty_and_odd_texts_still_get_a_label():
    got = models.load("sentiment-bulk").predict(["", "😡😡😡", "\x00\ufeff"])
    assert len(got) == 3 and all(p.label in ("negative", "neutral", "positive") for p in got)


THEMES = [
    ("1", "Tuyên truyền về chuyển đổi số, xây dựng chính quyền số, dịch vụ công trực tuyến"),
    ("2", "Tuyên truyền bảo vệ môi trường, thu gom rác thải, chống ô nhiễm không khí"),
    ("3", "Tuyên truyền bầu cử đại biểu Quốc hội và Hội đồng nhân dân các cấp"),
]


def test_the_theme_classifier_needs_no_labels():
    classifier = ThemeClassifier(THEMES)
    got = classifier.predict(
        [
            "Hướng dẫn người dân nộp hồ sơ trên Cổng dịch vụ công quốc gia bằng điện thoại",
            "Ra quân dọn vệ sinh, thu gom rác thải dọc bờ sông",
            "Niêm yết danh sách cử tri tại nhà văn hóa thôn",
        ]
    )
    assert [s.key for s in got] == ["1", "2", "3"]


def test_the_theme_classifier_learns_from_confirmed_labels():
    text = "Tập huấn sử dụng ứng dụng VNeID cho tổ trưởng tổ dân phố"
    before = ThemeClassifier(THEMES).scores([text])[0]
    examples = [(f"Hướng dẫn cài đặt VNeID, định danh điện tử mức {i}", "1") for i in range(8)]
    after = ThemeClassifier(THEMES, examples).scores([text])[0]
    assert after[0] > before[0]  # closer to the theme its confirmed examples belong to
    assert ThemeClassifier(THEMES, examples).examples == 8
    with pytest.raises(ValueError):
        ThemeClassifier([])


def run_predict(monkeypatch, lines, *args):
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    out = io.StringIO()
    call_command("nlp", "predict", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_predict_reads_and_writes_json_lines(monkeypatch):
    rows = run_predict(
        monkeypatch,
        [
            json.dumps({"id": "a", "text": "giảng viên dạy hay , nhiệt tình"}, ensure_ascii=False),
            "không phải json",
            json.dumps({"id": 7, "text": "cơ sở vật chất tệ , wifi yếu"}, ensure_ascii=False),
        ],
        "sentiment-bulk",
    )
    assert rows[0]["error"] and rows[0]["line"] == 2
    assert [(r["id"], r["label"]) for r in rows[1:]] == [("a", "positive"), (7, "negative")]
    assert all(0 < r["score"] <= 1 for r in rows[1:])


@pytest.mark.django_db
def test_theme_prediction_needs_a_plan(monkeypatch):
    with pytest.raises(CommandError, match="--plan") as info:
        run_predict(monkeypatch, ['{"id": 1, "text": "x"}'], "theme")
    assert info.value.returncode == 2
    with pytest.raises(CommandError, match="Không có kế hoạch"):
        run_predict(monkeypatch, ['{"id": 1, "text": "x"}'], "theme", "--plan", "999")


@pytest.mark.django_db
def test_theme_prediction_for_a_real_plan_learns_from_the_activities_tags(world, monkeypatch):
    from loa.activities.services import record_activity

    plan = world["plan"]
    themes = list(plan.current_version.themes.order_by("order"))
    assert len(themes) >= 2
    rows = run_predict(
        monkeypatch,
        [json.dumps({"id": 1, "text": themes[1].title}, ensure_ascii=False)],
        "theme",
        "--plan",
        str(plan.pk),
    )
    assert rows == [{"id": 1, "label": themes[1].label, "score": rows[0]["score"]}]
    assert rows[0]["score"] > 0.9  # a theme's own words are closest to it
    # an officer tags an activity: it becomes an example of its theme
    a = world["assignment"]
    import datetime as dt

    record_activity(
        actor=None,
        unit=a.unit,
        date=dt.date(2026, 6, 1),
        channel="press",
        form="bai",
        title="Bài viết riêng",
        tasks=[a.task],
        themes=[themes[0]],
    )
    from loa.listening.management.commands.nlp import theme_classifier

    assert theme_classifier(plan.pk).examples == 1


def test_a_text_about_none_of_the_themes_is_not_relevant_to_any():
    classifier = ThemeClassifier(THEMES)
    about, unrelated = classifier.predict(
        [
            "Cử tri phường kiểm tra tên mình trong danh sách cử tri trước ngày bầu cử đại biểu Quốc hội",
            "Đội tuyển Việt Nam thắng Thái Lan 2-1 trong trận chung kết",
        ]
    )
    assert about.key == "3" and about.relevant
    assert not unrelated.relevant and unrelated.score > 0.7  # high in absolute terms, yet about nothing here
