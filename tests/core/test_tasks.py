"""Periodic tasks: the chain re-enqueues itself even when a run fails; `schedule` starts it once."""

import datetime as dt

import pytest
from django.tasks import task
from django.utils import timezone

from loa.core.tasks import again_in, ensure_scheduled

pytestmark = pytest.mark.django_db


@task()
def tick() -> None:
    """A periodic task for the test."""


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    yield  # Django resets its task backends when TASKS changes, and again when it is restored


def test_the_immediate_backend_cannot_wait():
    assert again_in(tick, dt.timedelta(minutes=5)) is False
    assert ensure_scheduled(tick) == "unsupported"


def test_schedule_starts_the_chain_once_and_each_run_enqueues_the_next(database_backend):
    from django_tasks_db.models import DBTaskResult

    assert tick.get_backend().supports_defer
    assert ensure_scheduled(tick) == "scheduled"
    assert ensure_scheduled(tick) == "already"
    assert DBTaskResult.objects.filter(task_path=tick.module_path).count() == 1
    before = timezone.now()
    assert again_in(tick, dt.timedelta(minutes=5)) is True
    later = DBTaskResult.objects.filter(task_path=tick.module_path).order_by("-pk").first()
    assert later.run_after >= before + dt.timedelta(minutes=5)
