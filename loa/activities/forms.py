from django import forms
from django.utils.translation import gettext_lazy as _

from loa.plans.models import ChannelKind

from .models import ActivityForm, Audience


class ActivityEntryForm(forms.Form):
    """The short form a unit officer fills on a phone. Unit and date come pre-filled."""

    title = forms.CharField(label=_("Tiêu đề"), max_length=500)
    date = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("Kênh"), choices=ChannelKind.choices)
    form = forms.ChoiceField(label=_("Hình thức"), choices=ActivityForm.choices)
    quantity = forms.IntegerField(label=_("Số lượng"), min_value=1, max_value=10000, initial=1)
    link = forms.URLField(label=_("Đường dẫn"), required=False, max_length=1000)
    summary = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    themes = forms.MultipleChoiceField(label=_("Chủ đề"), required=False, widget=forms.CheckboxSelectMultiple)
    audiences = forms.MultipleChoiceField(
        label=_("Đối tượng"), required=False, choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    views = forms.IntegerField(label=_("Lượt xem"), required=False, min_value=0)
    participants = forms.IntegerField(label=_("Người tham dự"), required=False, min_value=0)

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [(str(t.pk), f"{t.label}. {t.title}") for t in themes]


class CompleteForm(forms.Form):
    note = forms.CharField(
        label=_("Kết quả đã làm"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence = forms.FileField(label=_("Tệp minh chứng"), required=False)
