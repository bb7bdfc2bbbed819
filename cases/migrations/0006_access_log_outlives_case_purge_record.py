"""The access log outlives its case (NEN 7513 asks for years): the case reference is kept as
text, the foreign key becomes SET_NULL; a purge record keeps what the purge deleted."""

from django.db import migrations, models
import django.db.models.deletion


def copy_references(apps, schema_editor):
    AccessLog = apps.get_model("cases", "AccessLog")
    Case = apps.get_model("cases", "Case")
    for case_id, reference in Case.objects.values_list("pk", "reference"):
        AccessLog.objects.filter(case_id=case_id).update(case_reference=reference)


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_accesslog_open_refused")]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="case_reference",
            field=models.CharField(db_index=True, default="", max_length=20, verbose_name="kenmerk"),
            preserve_default=False,
        ),
        migrations.RunPython(copy_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="accesslog",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="access_log",
                to="cases.case",
            ),
        ),
        migrations.CreateModel(
            name="PurgeRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reference", models.CharField(db_index=True, max_length=20, verbose_name="kenmerk")),
                ("case_created_at", models.DateTimeField(verbose_name="casus aangemaakt op")),
                ("case_closed_at", models.DateTimeField(verbose_name="casus afgerond op")),
                ("purged_at", models.DateTimeField(db_index=True, verbose_name="verwijderd op")),
                ("counts", models.JSONField(default=dict, verbose_name="aantallen")),
            ],
            options={
                "verbose_name": "verwijderde casus",
                "verbose_name_plural": "verwijderde casussen",
                "ordering": ["-purged_at", "-pk"],
            },
        ),
    ]
