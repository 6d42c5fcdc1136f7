"""The scan asked for from the dashboard becomes a job (jobs.JobRun, kind supervision_scan): its
runs so far are copied over, then its own table goes."""

from django.db import migrations


def copy_runs(apps, schema_editor):
    ScanRun = apps.get_model("supervision", "ScanRun")
    JobRun = apps.get_model("jobs", "JobRun")
    JobRun.objects.bulk_create(
        [
            JobRun(
                kind="supervision_scan",
                unit_id=r.unit_id,
                requested_by_id=r.requested_by_id,
                requested_at=r.requested_at,
                status=r.status,
                started_at=r.started_at,
                finished_at=r.finished_at,
                beat_at=r.beat_at,
                total=r.total,
                done=r.done,
                result_count=r.created,
                errors=[r.error] if r.error else [],
            )
            for r in ScanRun.objects.order_by("pk").iterator()
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0005_scan_runs"),
        ("jobs", "0001_job_runs"),
    ]

    operations = [
        migrations.RunPython(copy_runs, migrations.RunPython.noop),
        migrations.DeleteModel(name="ScanRun"),
    ]
