"""Each enforcement record names the obligation its 催告 enforces (行政强制法第三十五条). Existing
records take it from the rule that stood before: an immediate 代履行 removes an obstacle (an act);
otherwise money when the 催告 demanded an amount, else the act the decision ordered."""

from decimal import Decimal, InvalidOperation

from django.db import migrations, models
from django.db.models import Q


def derive(apps, schema_editor):
    Record = apps.get_model("enforcement", "EnforcementRecord")
    for record in Record.objects.all().only("pk", "immediate", "notice"):
        try:
            amount = Decimal(str((record.notice or {}).get("amount") or 0))
        except (InvalidOperation, ValueError):
            amount = Decimal("0")
        money = not record.immediate and amount.is_finite() and amount > 0
        Record.objects.filter(pk=record.pk).update(
            obligation="money" if money else "performance"
        )


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0002_deferral")]

    operations = [
        migrations.AddField(
            model_name="enforcementrecord",
            name="obligation",
            field=models.CharField(
                choices=[
                    ("money", "金钱给付义务（罚款、加处罚款等）"),
                    ("performance", "排除妨碍、恢复原状等行为义务"),
                ],
                default="performance",
                max_length=12,
                verbose_name="催告履行的义务",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(derive, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="enforcementrecord", name="one_open_enforcement_per_decision"
        ),
        migrations.AddConstraint(
            model_name="enforcementrecord",
            constraint=models.UniqueConstraint(
                condition=~Q(step="end") & ~Q(step="en_done"),
                fields=("decision", "obligation"),
                name="one_open_enforcement_per_obligation",
            ),
        ),
    ]
