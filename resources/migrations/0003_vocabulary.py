"""The fixed vocabularies (audiences, languages) as rows; the content loader and
resources.services.vocabulary_ensure() add any that are missing later."""

from django.db import migrations

AUDIENCES = ["professionals", "ouders", "jongeren", "onderwijs"]


def forwards(apps, schema_editor):
    from resources.constants import LANGUAGES

    for model_name, codes in (("Audience", AUDIENCES), ("Language", list(LANGUAGES))):
        model = apps.get_model("resources", model_name)
        for code in codes:
            model.objects.using(schema_editor.connection.alias).get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("resources", "0002_search_indexes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
