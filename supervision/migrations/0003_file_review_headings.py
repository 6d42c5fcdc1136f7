from typing import Any

from django.conf import settings
from django.db import migrations, models


def grade_old_sheets(apps: Any, schema_editor: Any) -> None:
    """Rounds drawn before the four headings keep their eight-item standard ("2024", filed under
    the headings in supervision.standards); their scored sheets get the grade of their total."""
    FileReviewCase = apps.get_model("supervision", "FileReviewCase")
    excellent = settings.FILE_REVIEW_GRADE_EXCELLENT
    passing = settings.FILE_REVIEW_GRADE_PASS
    scored = FileReviewCase.objects.exclude(total=None)
    scored.filter(total__gte=excellent).update(grade="excellent")
    scored.filter(total__gte=passing, total__lt=excellent).update(grade="pass")
    scored.filter(total__lt=passing).update(grade="fail")


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0002_statistics_tally_backfill"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="filereview",
            name="standard",
            field=models.CharField(default="2024", max_length=20, verbose_name="评查标准版本"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="filereview",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="结果公布时间"),
        ),
        migrations.AddField(
            model_name="filereview",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="filereviewcase",
            name="reasons",
            field=models.JSONField(blank=True, default=dict, verbose_name="扣分理由"),
        ),
        migrations.AddField(
            model_name="filereviewcase",
            name="grade",
            field=models.CharField(blank=True, max_length=10, verbose_name="等次"),
        ),
        migrations.RunPython(grade_old_sheets, migrations.RunPython.noop),
    ]
