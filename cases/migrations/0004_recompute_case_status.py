"""Statuses now say the advice (geen contact, melding gedaan) and "klaar voor gesprek" needs
the young person's agreement; the list shows the next step. Recompute both for open cases
with the same pure rules the services use (cases.gate works on plain facts)."""

from django.db import migrations

CLOSED = {"afgerond", "gearchiveerd"}


def recompute(apps, schema_editor):
    from cases.gate import gate_for, next_step, outcome_for, readiness_for, status_for, steps_for

    Case = apps.get_model("cases", "Case")
    for case in Case.objects.exclude(status__in=CLOSED).select_related("guide_version"):
        snapshot = case.guide_version.snapshot
        answers = dict(case.answers.values_list("question_key", "answer"))
        newest = case.consultations.order_by("-seq").first()
        outcome = outcome_for(
            flagged=case.honour_flagged, questions=snapshot["questions"], answers=answers
        )
        gate = gate_for(
            flagged=case.honour_flagged,
            last_signal_seq=case.last_signal_seq,
            newest=newest,
            outcome=outcome,
        )
        readiness = readiness_for(
            gate=gate,
            questions=snapshot["questions"],
            answers=answers,
            go_ahead_reason=case.go_ahead_reason,
        )
        progress = {p.step_key: (p.status, p.notes) for p in case.progress.all()}
        current = next_step(
            steps_for(snapshot=snapshot, outcome=outcome, gate=gate, progress=progress)
        )
        Case.objects.filter(pk=case.pk).update(
            status=status_for(current=case.status, gate=gate, readiness=readiness),
            next_step_key=current.key if current else "",
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_go_ahead_and_next_step")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
