"""Personas: an officer of commune A's service centre, an officer of commune B, the commune A office,
the city board (office over the whole city), a viewer (leader) of commune A, and nobody."""

from pathlib import Path

import pytest

from loa.accounts.models import Role
from loa.accounts.services import grant_role
from loa.org.models import Area, Unit
from loa.org.services import load_hanoi
from loa.plans.models import TaskAssignment
from loa.plans.services import import_plan

SAMPLES = Path(__file__).resolve().parents[2] / "loa" / "samples" / "plans"
COMMUNE = "ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt"


@pytest.fixture
def world(db, django_user_model):
    load_hanoi()
    plan = import_plan(data=(SAMPLES / COMMUNE).read_bytes(), filename=COMMUNE).document
    centre_task = plan.tasks.get(assignment_label="3")
    centre_assignment = TaskAssignment.objects.select_related("unit").get(task=centre_task)
    commune_a = plan.area
    commune_b = Area.objects.filter(level="commune", parent=commune_a.parent).exclude(pk=commune_a.pk).first()
    ubnd_a = Unit.objects.get(area=commune_a, unit_type="peoples_committee")
    unit_b = Unit.objects.filter(area=commune_b, unit_type="service_centre").first()
    board = Unit.objects.get(name="Ban Tuyên giáo và Dân vận Thành ủy Hà Nội")

    def user(name, unit=None, role=None):
        u = django_user_model.objects.create_user(name, password="mat-khau-dai-123")
        if unit is not None:
            grant_role(user=u, unit=unit, role=role)
        return u

    return {
        "plan": plan,
        "task": centre_task,
        "assignment": centre_assignment,
        "officer_a": user("canbo_a", centre_assignment.unit, Role.OFFICER),
        "officer_b": user("canbo_b", unit_b, Role.OFFICER),
        "office_a": user("vanphong_a", ubnd_a, Role.OFFICE),
        "viewer_a": user("lanhdao_a", ubnd_a, Role.VIEWER),
        "city": user("thanhuy", board, Role.OFFICE),
        "nobody": user("khong_vai_tro"),
        "unit_b": unit_b,
    }
