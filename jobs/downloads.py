"""The file a run built, as a download: one answer for the page and the API alike."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpResponse

from jobs.models import JobRun


def run_file(run: JobRun) -> HttpResponse:
    """The run's built file as an attachment (a GET that writes nothing); 404 until it is built.
    The caller has checked the run is in the user's scope (`jobs.selectors.job_run_for`)."""
    if run.status != JobRun.Status.DONE or not run.output_data:
        raise Http404("文件尚未生成")
    response = HttpResponse(bytes(run.output_data), content_type=run.output_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(run.output_name)}"
    return response
