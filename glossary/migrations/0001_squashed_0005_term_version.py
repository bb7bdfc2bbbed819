"""The 5 migrations of `glossary` up to 0005_term_version in one: a new database is made
from the models as they are now instead of replaying every step (replaying all apps'
steps took 16 of migrate's 22 seconds). A database that has applied some of the replaced
migrations goes on with them; one that has applied all of them counts this as applied.

The SQL the models cannot express and the rows a new database needs come from the
replaced migrations themselves (their functions, run in the same order), so there is one
copy of each. When the replaced migrations are deleted, move those functions here.
"""

from importlib import import_module

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def replaced(name: str):
    """The module of the replaced migration `glossary.<name>`."""
    return import_module(f"glossary.migrations.{name}")


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('glossary', '0001_initial'),
        ('glossary', '0002_search_trigram_index'),
        ('glossary', '0003_content_hashes'),
        ('glossary', '0004_text_size_limits'),
        ('glossary', '0005_term_version'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Term',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80, unique=True, verbose_name='sleutel')),
                ('pref_label', models.CharField(max_length=120, verbose_name='voorkeursterm')),
                ('pref_label_nl', models.CharField(max_length=120, null=True, verbose_name='voorkeursterm')),
                ('pref_label_en', models.CharField(max_length=120, null=True, verbose_name='voorkeursterm')),
                ('definition', models.TextField(help_text='Een volzin: ‘Exposing is het …’. Markdown.', validators=[django.core.validators.MaxLengthValidator(5000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='definitie')),
                ('definition_nl', models.TextField(help_text='Een volzin: ‘Exposing is het …’. Markdown.', null=True, validators=[django.core.validators.MaxLengthValidator(5000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='definitie')),
                ('definition_en', models.TextField(help_text='Een volzin: ‘Exposing is het …’. Markdown.', null=True, validators=[django.core.validators.MaxLengthValidator(5000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='definitie')),
                ('note', models.TextField(blank=True, help_text='Markdown.', validators=[django.core.validators.MaxLengthValidator(5000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='toelichting')),
                ('note_nl', models.TextField(blank=True, help_text='Markdown.', null=True, validators=[django.core.validators.MaxLengthValidator(5000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='toelichting')),
                ('note_en', models.TextField(blank=True, help_text='Markdown.', null=True, validators=[django.core.validators.MaxLengthValidator(5000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='toelichting')),
                ('parent_phrasing', models.TextField(blank=True, help_text="Neutrale woorden, zoals liefde, intimiteit, intieme foto's. Markdown.", validators=[django.core.validators.MaxLengthValidator(2000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='zo zeg je het tegen ouders')),
                ('parent_phrasing_nl', models.TextField(blank=True, help_text="Neutrale woorden, zoals liefde, intimiteit, intieme foto's. Markdown.", null=True, validators=[django.core.validators.MaxLengthValidator(2000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='zo zeg je het tegen ouders')),
                ('parent_phrasing_en', models.TextField(blank=True, help_text="Neutrale woorden, zoals liefde, intimiteit, intieme foto's. Markdown.", null=True, validators=[django.core.validators.MaxLengthValidator(2000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='zo zeg je het tegen ouders')),
                ('category', models.CharField(choices=[('vormen', 'Vormen van (online) misbruik'), ('cultuur', 'Cultuur, eer en religie'), ('recht', 'Recht en melden'), ('hulp', 'Hulp en aanpak'), ('algemeen', 'Algemeen')], max_length=20, verbose_name='categorie')),
                ('source', models.CharField(blank=True, help_text='Nummers van de brondocumenten, bijvoorbeeld ‘001, 002’.', max_length=60, verbose_name='bron')),
                ('status', models.CharField(choices=[('concept', 'Concept'), ('gepubliceerd', 'Gepubliceerd')], db_index=True, default='concept', max_length=20, verbose_name='status')),
                ('search_document', models.TextField(blank=True, editable=False, verbose_name='zoektekst')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='laatst gewijzigd')),
                ('content_hashes', models.JSONField(blank=True, default=dict, editable=False)),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='versie')),
                ('broader', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='narrower', to='glossary.term', verbose_name='breder begrip')),
                ('related', models.ManyToManyField(blank=True, to='glossary.term', verbose_name='verwante begrippen')),
            ],
            options={
                'verbose_name': 'begrip',
                'verbose_name_plural': 'begrippen',
                'ordering': ['pref_label'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalTerm',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80, verbose_name='sleutel')),
                ('pref_label', models.CharField(max_length=120, verbose_name='voorkeursterm')),
                ('pref_label_nl', models.CharField(max_length=120, null=True, verbose_name='voorkeursterm')),
                ('pref_label_en', models.CharField(max_length=120, null=True, verbose_name='voorkeursterm')),
                ('definition', models.TextField(help_text='Een volzin: ‘Exposing is het …’. Markdown.', validators=[django.core.validators.MaxLengthValidator(5000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='definitie')),
                ('definition_nl', models.TextField(help_text='Een volzin: ‘Exposing is het …’. Markdown.', null=True, validators=[django.core.validators.MaxLengthValidator(5000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='definitie')),
                ('definition_en', models.TextField(help_text='Een volzin: ‘Exposing is het …’. Markdown.', null=True, validators=[django.core.validators.MaxLengthValidator(5000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='definitie')),
                ('note', models.TextField(blank=True, help_text='Markdown.', validators=[django.core.validators.MaxLengthValidator(5000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='toelichting')),
                ('note_nl', models.TextField(blank=True, help_text='Markdown.', null=True, validators=[django.core.validators.MaxLengthValidator(5000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='toelichting')),
                ('note_en', models.TextField(blank=True, help_text='Markdown.', null=True, validators=[django.core.validators.MaxLengthValidator(5000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='toelichting')),
                ('parent_phrasing', models.TextField(blank=True, help_text="Neutrale woorden, zoals liefde, intimiteit, intieme foto's. Markdown.", validators=[django.core.validators.MaxLengthValidator(2000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='zo zeg je het tegen ouders')),
                ('parent_phrasing_nl', models.TextField(blank=True, help_text="Neutrale woorden, zoals liefde, intimiteit, intieme foto's. Markdown.", null=True, validators=[django.core.validators.MaxLengthValidator(2000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='zo zeg je het tegen ouders')),
                ('parent_phrasing_en', models.TextField(blank=True, help_text="Neutrale woorden, zoals liefde, intimiteit, intieme foto's. Markdown.", null=True, validators=[django.core.validators.MaxLengthValidator(2000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='zo zeg je het tegen ouders')),
                ('category', models.CharField(choices=[('vormen', 'Vormen van (online) misbruik'), ('cultuur', 'Cultuur, eer en religie'), ('recht', 'Recht en melden'), ('hulp', 'Hulp en aanpak'), ('algemeen', 'Algemeen')], max_length=20, verbose_name='categorie')),
                ('source', models.CharField(blank=True, help_text='Nummers van de brondocumenten, bijvoorbeeld ‘001, 002’.', max_length=60, verbose_name='bron')),
                ('status', models.CharField(choices=[('concept', 'Concept'), ('gepubliceerd', 'Gepubliceerd')], db_index=True, default='concept', max_length=20, verbose_name='status')),
                ('search_document', models.TextField(blank=True, editable=False, verbose_name='zoektekst')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='laatst gewijzigd')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='versie')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('broader', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='glossary.term', verbose_name='breder begrip')),
            ],
            options={
                'verbose_name': 'historical begrip',
                'verbose_name_plural': 'historical begrippen',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalLabel',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('language', models.CharField(max_length=8, verbose_name='taal')),
                ('kind', models.CharField(choices=[('pref', 'Voorkeursterm'), ('alt', 'Synoniem of variant'), ('hidden', 'Verborgen zoekterm')], max_length=10, verbose_name='soort')),
                ('text', models.CharField(max_length=120, verbose_name='tekst')),
                ('folded', models.CharField(editable=False, max_length=120, verbose_name='vergelijkingsvorm')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('term', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='glossary.term', verbose_name='begrip')),
            ],
            options={
                'verbose_name': 'historical label',
                'verbose_name_plural': 'historical labels',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Label',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=8, verbose_name='taal')),
                ('kind', models.CharField(choices=[('pref', 'Voorkeursterm'), ('alt', 'Synoniem of variant'), ('hidden', 'Verborgen zoekterm')], max_length=10, verbose_name='soort')),
                ('text', models.CharField(max_length=120, verbose_name='tekst')),
                ('folded', models.CharField(editable=False, max_length=120, verbose_name='vergelijkingsvorm')),
                ('term', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='labels', to='glossary.term', verbose_name='begrip')),
            ],
            options={
                'verbose_name': 'label',
                'verbose_name_plural': 'labels',
                'ordering': ['language', 'kind', 'text'],
                'constraints': [models.UniqueConstraint(fields=('language', 'folded'), name='glossary_label_unique_per_language'), models.CheckConstraint(condition=models.Q(('text', ''), _negated=True), name='glossary_label_text_not_empty')],
            },
        ),
        migrations.RunPython(replaced('0002_search_trigram_index').forwards, replaced('0002_search_trigram_index').backwards),
    ]
