import pytest
from django.contrib import admin
from django.urls import reverse

from loa.plans.services import import_plan

pytestmark = pytest.mark.django_db


def test_every_model_of_loa_is_in_the_admin():
    from django.apps import apps

    inline_models = {
        inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines
    }
    for label in ["audit", "org", "plans", "accounts", "activities", "reports"]:
        for model in apps.get_app_config(label).get_models():
            assert admin.site.is_registered(model) or model in inline_models, model


def test_admin_pages_open_for_a_superuser(client, django_user_model, samples_dir):
    from loa.org.services import load_hanoi

    load_hanoi()
    import_plan(
        data=(samples_dir / "ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt").read_bytes(), filename="kh.txt"
    )
    client.force_login(django_user_model.objects.create_superuser("quantri", password="mat-khau-dai-123"))
    for name in [
        "plans_document",
        "plans_task",
        "plans_documentversion",
        "org_unit",
        "org_area",
        "audit_auditentry",
    ]:
        response = client.get(reverse(f"admin:{name}_changelist"))
        assert response.status_code == 200, name
    from loa.plans.models import Document

    doc = Document.objects.filter(status="imported").first()
    assert client.get(reverse("admin:plans_document_change", args=[doc.pk])).status_code == 200
