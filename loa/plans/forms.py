from django import forms
from django.utils.translation import gettext_lazy as _

ALLOWED = (".txt", ".md", ".docx", ".pdf")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp kế hoạch"),
        help_text=_("Định dạng .docx, .pdf (có lớp chữ), .txt hoặc .md."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED)}),
    )
