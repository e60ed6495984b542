from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class SubmissionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Bạn muốn gửi"), choices=Kind.choices, widget=forms.RadioSelect, initial=Kind.QUESTION
    )
    text = forms.CharField(
        label=_("Nội dung"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
        max_length=20000,
        help_text=_("Từ 10 đến 5.000 ký tự. Xin đừng ghi thông tin cá nhân vào nội dung."),
    )
    attachment = forms.FileField(
        label=_("Tệp đính kèm (không bắt buộc)"),
        required=False,
        help_text=_("Ảnh JPEG, PNG, WebP hoặc PDF, tối đa 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )
    name = forms.CharField(
        label=_("Họ tên"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_("Tôi đồng ý cho cơ quan xử lý thông tin liên hệ trên theo nội dung dưới đây."), required=False
    )
    # honeypot: hidden from people by CSS and from screen readers; a bot that fills it is refused
    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("Mã gồm 16 ký tự bạn nhận được khi gửi, ví dụ ABCD-EFGH-JKMN-PQRS."),
    )
