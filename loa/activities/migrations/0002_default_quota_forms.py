from django.db import migrations

DEFAULTS = {
    "tin, bài": ["tin", "bai", "video", "infographic", "phong_su"],
    "tin bài": ["tin", "bai", "video", "infographic", "phong_su"],
    "tin/bài": ["tin", "bai", "video", "infographic", "phong_su"],
    "tin": ["tin"],
    "bài": ["bai"],
    "bài viết": ["bai"],
    "video": ["video"],
    "clip": ["video"],
    "infographic": ["infographic"],
    "phóng sự": ["phong_su"],
    "chuyên mục": ["bai", "phong_su", "buoi_phat_thanh"],
    "buổi": ["buoi_phat_thanh", "hoi_nghi", "toa_dam", "lop_hoc", "doi_thoai"],
    "lượt": ["buoi_phat_thanh", "hoi_nghi", "doi_thoai"],
    "cuộc": ["hoi_nghi", "toa_dam", "cuoc_thi", "doi_thoai"],
    "hội nghị": ["hoi_nghi"],
    "lớp": ["lop_hoc"],
    "pano": ["pano"],
    "panô": ["pano"],
    "khẩu hiệu": ["pano"],
    "băng rôn": ["pano"],
    "tờ rơi": ["to_roi"],
    "ấn phẩm": ["to_roi"],
    "sản phẩm": ["tin", "bai", "video", "infographic", "phong_su", "pano", "to_roi"],
}


def seed(apps, schema_editor):
    QuotaForm = apps.get_model("activities", "QuotaForm")
    QuotaForm.objects.bulk_create(
        [QuotaForm(quota_unit=unit, form=form) for unit, forms in DEFAULTS.items() for form in forms],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
