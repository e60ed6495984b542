"""``loa nlp train | eval | predict``: Loa's Vietnamese text models from the command line.

- ``loa nlp train [--data DIR] [--only NAME,...]``: retrain the shipped models from
  ``../shared/data`` (train and dev splits only).
- ``loa nlp eval [--data DIR] [--limit N]``: the shipped models on the official test splits.
- ``loa nlp predict sentiment|sentiment-bulk|topic|theme [--plan ID]``: JSON lines
  ``{"id", "text"}`` on stdin → ``{"id", "label", "score"}`` on stdout. ``theme`` needs
  ``--plan``: the plan's themes, and the theme tags officers gave its activities as examples.
  A bad line gets ``{"id", "error"}`` (Vietnamese) and the rest goes on.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from loa.nlp import models
from loa.nlp.train import DATA

BATCH = 256
MAX_TEXT = 20_000


def theme_classifier(plan_id: int):
    from loa.activities.models import Activity
    from loa.nlp.themes import ThemeClassifier
    from loa.plans.models import Document, Theme

    document = Document.objects.filter(pk=plan_id).first()
    if document is None or document.current_version_id is None:
        raise CommandError(f"Không có kế hoạch số {plan_id}.", returncode=2)
    themes = list(Theme.objects.filter(version_id=document.current_version_id).order_by("order"))
    if not themes:
        raise CommandError("Kế hoạch này không có chủ đề tuyên truyền nào.", returncode=2)
    links = Activity.themes.through.objects.filter(theme__in=themes).select_related("activity", "theme")[
        :5000
    ]
    examples = [(f"{x.activity.title}. {x.activity.summary}", x.theme.label) for x in links]
    return ThemeClassifier([(t.label, t.title) for t in themes], examples)


class Command(BaseCommand):
    help = "Mô hình văn bản tiếng Việt của Loa: huấn luyện, đánh giá, dự đoán."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train")
        train.add_argument("--data", type=Path, default=DATA)
        train.add_argument("--only", default="sentiment-bulk,topic,sentiment")
        train.add_argument("--cache", type=Path, default=None, help="thư mục lưu tạm vectơ e5")
        ev = sub.add_parser("eval")
        ev.add_argument("--data", type=Path, default=DATA)
        ev.add_argument("--limit", type=int, default=None)
        pr = sub.add_parser("predict")
        pr.add_argument("task", choices=["sentiment", "sentiment-bulk", "topic", "theme"])
        pr.add_argument("--plan", type=int, default=None)

    def handle(self, *args, **opts):
        getattr(self, f"do_{opts['action']}")(opts)

    def do_train(self, opts):
        from loa.nlp.train import train

        if not opts["data"].exists():
            raise CommandError(f"Không có dữ liệu ở {opts['data']}.", returncode=2)
        train(tuple(opts["only"].split(",")), opts["data"], opts["cache"], log=self.stdout.write)

    def do_eval(self, opts):
        from loa.nlp.evaluate import evaluate

        if not opts["data"].exists():
            raise CommandError(f"Không có dữ liệu ở {opts['data']}.", returncode=2)
        self.stdout.write(
            "| model | test set | rows | accuracy | weighted-F1 | macro-F1 | per-class F1 | texts/s |"
        )
        self.stdout.write("|---|---|---:|---:|---:|---:|---|---:|")
        evaluate(opts["data"], limit=opts["limit"], log=self.stdout.write)

    def do_predict(self, opts):
        task = opts["task"]
        if task == "theme":
            if opts["plan"] is None:
                raise CommandError("Dự đoán chủ đề cần --plan ID.", returncode=2)
            classifier = theme_classifier(opts["plan"])

            def run(texts):
                return [(s.key, s.score) for s in classifier.predict(texts)]

        else:
            try:
                model = models.load(task)
            except models.ModelError as exc:
                raise CommandError(str(exc), returncode=2) from exc

            def run(texts):
                return [(p.label, p.score) for p in model.predict(texts)]

        batch: list[tuple[str, str]] = []
        for number, raw in enumerate(sys.stdin, 1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
                text = row.get("text") if isinstance(row, dict) else None
                if not isinstance(text, str):
                    raise ValueError
            except ValueError:
                row_id = None
                self.stdout.write(
                    json.dumps(
                        {"id": row_id, "line": number, "error": "Dòng không phải JSON có trường text."},
                        ensure_ascii=False,
                    )
                )
                continue
            batch.append((row.get("id", number), text[:MAX_TEXT]))
            if len(batch) >= BATCH:
                self._flush(batch, run)
                batch = []
        self._flush(batch, run)

    def _flush(self, batch, run):
        if not batch:
            return
        for (row_id, _text), (label, score) in zip(batch, run([t for _i, t in batch]), strict=True):
            self.stdout.write(
                json.dumps({"id": row_id, "label": label, "score": round(score, 4)}, ensure_ascii=False)
            )
