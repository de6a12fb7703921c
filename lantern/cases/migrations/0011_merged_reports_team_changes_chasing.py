"""Merged reports get a state of their own; teams keep who was taken off and why; the
procuratorate that decided on prosecution; the supervision's chasing letter."""

import django.db.models.deletion
import lantern.core.vault.fields
from django.conf import settings
from django.db import migrations, models


def mark_merged(apps, schema_editor):
    apps.get_model("cases", "Case").objects.filter(merged_into__isnull=False).update(state="MERGED")


def unmark_merged(apps, schema_editor):
    apps.get_model("cases", "Case").objects.filter(state="MERGED").update(state="RECEIVED")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_encrypted_totp_secret'),
        ('cases', '0010_issued_documents'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='assignment',
            name='end_reason',
            field=lantern.core.vault.fields.EncryptedTextField(blank=True, default=''),
        ),
        migrations.AddField(
            model_name='assignment',
            name='ended_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='assignment',
            name='ended_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='case',
            name='prosecuting_unit',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.unit', verbose_name='prosecuting procuratorate'),
        ),
        migrations.AddField(
            model_name='proceeding',
            name='chase_letter',
            field=lantern.core.vault.fields.EncryptedTextField(blank=True, default=''),
        ),
        migrations.AddField(
            model_name='proceeding',
            name='chased_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='case',
            name='state',
            field=models.CharField(choices=[('RECEIVED', 'Received'), ('UNDER_REVIEW', 'Under review'), ('NOT_FILED', 'Not filed'), ('FILED', 'Filed'), ('INVESTIGATING', 'Investigating'), ('SUSPENDED', 'Suspended'), ('REVOKED', 'Revoked'), ('SENT_FOR_PROSECUTION', 'Sent for prosecution'), ('PROSECUTED', 'Prosecuted'), ('NOT_PROSECUTED', 'Not prosecuted'), ('JUDGED', 'Judged'), ('CLOSED', 'Closed'), ('MERGED', 'Merged into another case')], default='RECEIVED', max_length=24, verbose_name='state'),
        ),
        migrations.RunPython(mark_merged, unmark_merged),
    ]
