"""The peer: a general-purpose workflow engine (SpiffWorkflow, BPMN) running the same 18 steps.

The process is what a Spiff-backed case system would run for our general procedure: a BPMN
process of 18 sequential user tasks named by our step codes. After every step the whole workflow
is serialised to JSON and written to the same database as the services, one transaction (one
commit) per step, which is what such a system persists to resume a case; the first write is the
INSERT of the new workflow. It records nothing else: no parties, limits, documents or ledger, so
it is a lower bound of what a case system built on it would cost per step.
"""

from __future__ import annotations

import logging
import os
import tempfile
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow  # type: ignore[import-untyped]
from SpiffWorkflow.bpmn.parser import BpmnParser  # type: ignore[import-untyped]
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer  # type: ignore[import-untyped]
from SpiffWorkflow.util.task import TaskState  # type: ignore[import-untyped]

from procedure.general import GENERAL

STEPS = GENERAL.codes  # the 18 steps of the general procedure, in order
TABLE = "bench_spiff_workflow"


def bpmn(steps: tuple[str, ...] = STEPS) -> str:
    """A BPMN 2.0 process: start → one user task per step, in order → end."""
    tasks, flows, prev = [], [], "start"
    for i, step in enumerate(steps):
        tasks.append(f'<bpmn:userTask id="{step}" name="{step}"/>')
        flows.append(f'<bpmn:sequenceFlow id="f{i}" sourceRef="{prev}" targetRef="{step}"/>')
        prev = step
    flows.append(f'<bpmn:sequenceFlow id="fend" sourceRef="{prev}" targetRef="end"/>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" '
        'targetNamespace="zhifa"><bpmn:process id="general" isExecutable="true">'
        f'<bpmn:startEvent id="start"/>{"".join(tasks)}<bpmn:endEvent id="end"/>'
        f"{''.join(flows)}</bpmn:process></bpmn:definitions>"
    )


class SpiffRunner:
    """Runs whole cases through SpiffWorkflow, persisting through Django's connection."""

    def __init__(self) -> None:
        from django.db import connection

        parser = BpmnParser()
        with tempfile.NamedTemporaryFile("w", suffix=".bpmn", delete=False) as f:
            f.write(bpmn())
        try:
            parser.add_bpmn_file(f.name)
        finally:
            os.unlink(f.name)
        self.spec = parser.get_spec("general")
        # Its INFO lines (each task's state change) would cost it time and bury the figures.
        logging.getLogger("spiff").setLevel(logging.WARNING)
        self.serializer = BpmnWorkflowSerializer()
        key = "bigserial" if connection.vendor == "postgresql" else "integer"
        with connection.cursor() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id {key} PRIMARY KEY, state text)")
        self.last_size = 0

    def case(self, actor: str, clock_: Any) -> int:
        """One case: the workflow's INSERT, then a commit of its whole state after each step."""
        from django.db import connection, transaction

        workflow = BpmnWorkflow(self.spec)
        workflow.do_engine_steps()
        with clock_.step("spiff_start"), transaction.atomic(), connection.cursor() as cur:
            state = self.serializer.serialize_json(workflow)
            cur.execute(f"INSERT INTO {TABLE} (state) VALUES (%s) RETURNING id", [state])
            wid = int(cur.fetchone()[0])
        while not workflow.is_completed():
            task = workflow.get_next_task(state=TaskState.READY, manual=True)
            with clock_.step(task.task_spec.name):
                task.data["actor"] = actor
                task.run()
                workflow.do_engine_steps()
                state = self.serializer.serialize_json(workflow)
                with transaction.atomic(), connection.cursor() as cur:
                    cur.execute(f"UPDATE {TABLE} SET state = %s WHERE id = %s", [state, wid])
        self.last_size = len(state)
        return wid
