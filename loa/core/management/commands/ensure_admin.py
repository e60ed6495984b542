import secrets
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from loa.audit.services import log_action


class Command(BaseCommand):
    help = "Create the first administrator once; print its password (or ask for it in a terminal)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--no-input", action="store_true", help="never ask, generate a password")

    def handle(self, *args, username: str, no_input: bool, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("Tài khoản quản trị đã có; đăng nhập bằng tài khoản đã tạo trước đây.")
            return
        interactive = sys.stdin.isatty() and not no_input
        if interactive:
            from getpass import getpass

            password = getpass(f"Mật khẩu cho tài khoản quản trị '{username}' (để trống: tạo ngẫu nhiên): ")
        else:
            password = ""
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        with transaction.atomic():
            user = User.objects.create_superuser(username=username, email="", password=password)
            log_action("accounts.admin.created", user, data={"username": username})
        self.stdout.write(self.style.SUCCESS(f"Đã tạo tài khoản quản trị: {username}"))
        if generated:
            self.stdout.write(f"  Mật khẩu (chỉ in một lần, hãy lưu lại): {password}")
