from django.db import migrations, models

import guidance.models


class Migration(migrations.Migration):
    dependencies = [
        ("guidance", "0004_text_size_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="guideversion",
            name="note",
            field=models.CharField(
                default="",
                help_text="Kort: wat is er anders dan in de vorige versie?",
                max_length=300,
                verbose_name="wat er verandert",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="guideversion",
            name="snapshot",
            field=guidance.models.SnapshotField(editable=False, verbose_name="inhoud"),
        ),
    ]
