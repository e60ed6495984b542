from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Unit
from .selectors import merge_targets


class MergeForm(forms.Form):
    """Pick the confirmed unit an unconfirmed one is merged into (its area or above)."""

    into = forms.ModelChoiceField(label=_("Gộp vào"), queryset=Unit.objects.none())

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = merge_targets(unit)
