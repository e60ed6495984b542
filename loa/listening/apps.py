from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListeningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "loa.listening"
    verbose_name = _("Lắng nghe dư luận")
