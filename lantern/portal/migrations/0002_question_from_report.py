"""A question asked from a merged report's portal belongs to the case it was merged into
(its team answers it), and remembers the report whose complainant asked."""

import django.db.models.deletion
from django.db import migrations, models


def _move(apps, *, to_master):
    Question = apps.get_model("portal", "Question")
    Deadline = apps.get_model("deadlines", "Deadline")
    if to_master:
        moved = Question.objects.filter(case__merged_into__isnull=False).select_related("case")
    else:
        moved = Question.objects.filter(from_report__isnull=False).select_related("from_report")
    for question in moved:
        report = question.case if to_master else question.from_report
        source, target = (report, report.merged_into_id) if to_master else (question.case, report.pk)
        Deadline.objects.filter(case=source, rule="family_question", subject=f"question:{question.pk}").update(
            case_id=target)
        question.case_id, question.from_report_id = target, report.pk if to_master else None
        question.save(update_fields=["case", "from_report"])


def to_master(apps, schema_editor):
    _move(apps, to_master=True)


def to_report(apps, schema_editor):
    _move(apps, to_master=False)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0011_merged_reports_team_changes_chasing'),
        ('deadlines', '0003_deadline'),
        ('portal', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='question',
            name='from_report',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.case'),
        ),
        migrations.RunPython(to_master, to_report),
    ]
