"""The 11 migrations of `cases` up to 0011_case_figures in one: a new database is made
from the models as they are now instead of replaying every step (replaying all apps'
steps took 16 of migrate's 22 seconds). A database that has applied some of the replaced
migrations goes on with them; one that has applied all of them counts this as applied.

The SQL the models cannot express and the rows a new database needs come from the
replaced migrations themselves (their functions, run in the same order), so there is one
copy of each. When the replaced migrations are deleted, move those functions here.

Left out: 0004_recompute_case_status and 0006's copy_references, which only rewrite existing rows (a new database has none).
"""

from importlib import import_module

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def replaced(name: str):
    """The module of the replaced migration `cases.<name>`."""
    return import_module(f"cases.migrations.{name}")


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('cases', '0001_initial'),
        ('cases', '0002_consultation_append_only_trigger'),
        ('cases', '0003_case_go_ahead_and_next_step'),
        ('cases', '0004_recompute_case_status'),
        ('cases', '0005_accesslog_open_refused'),
        ('cases', '0006_access_log_outlives_case_purge_record'),
        ('cases', '0007_logs_append_only_except_retention'),
        ('cases', '0008_text_size_limits'),
        ('cases', '0009_go_ahead_reason_size_limit'),
        ('cases', '0010_case_versions_and_text_history'),
        ('cases', '0011_case_figures'),
    ]

    dependencies = [
        ('accounts', '0001_squashed_0007_security_event_map_imported'),
        ('guidance', '0001_squashed_0006_guide_step_question_versions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PurgeRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(db_index=True, max_length=20, verbose_name='kenmerk')),
                ('case_created_at', models.DateTimeField(verbose_name='casus aangemaakt op')),
                ('case_closed_at', models.DateTimeField(verbose_name='casus afgerond op')),
                ('purged_at', models.DateTimeField(db_index=True, verbose_name='verwijderd op')),
                ('counts', models.JSONField(default=dict, verbose_name='aantallen')),
            ],
            options={
                'verbose_name': 'verwijderde casus',
                'verbose_name_plural': 'verwijderde casussen',
                'ordering': ['-purged_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ReferenceCounter',
            fields=[
                ('year', models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ('last', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='Case',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(editable=False, max_length=20, unique=True, verbose_name='kenmerk')),
                ('status', models.CharField(choices=[('voorbereiding', 'Voorbereiding'), ('wacht_op_advies', 'Wacht op advies Veilig Thuis'), ('geen_contact_ouders', 'Advies: geen contact met ouders'), ('melding_gedaan', 'Melding gedaan'), ('klaar_voor_gesprek', 'Klaar voor gesprek'), ('afgerond', 'Afgerond'), ('gearchiveerd', 'Gearchiveerd')], default='voorbereiding', max_length=30, verbose_name='status')),
                ('age_range', models.CharField(choices=[('onder_12', 'Jonger dan 12'), ('12_15', '12 tot en met 15 jaar'), ('16_17', '16 of 17 jaar'), ('18_23', '18 tot en met 23 jaar')], max_length=20, verbose_name='leeftijd jongere')),
                ('gender', models.CharField(blank=True, choices=[('meisje', 'Meisje'), ('jongen', 'Jongen'), ('anders', 'Anders'), ('onbekend', 'Zeg ik liever niet')], max_length=20, verbose_name='gender jongere')),
                ('situation', models.CharField(choices=[('shame_sexting', 'Shame sexting'), ('exposing', 'Exposing'), ('sextortion', 'Sextortion'), ('wraakporno', 'Wraakporno'), ('grooming', 'Grooming'), ('anders', 'Anders of nog onduidelijk')], max_length=30, verbose_name='wat is er gebeurd')),
                ('cultural_context', models.CharField(blank=True, max_length=200, verbose_name='culturele of religieuze achtergrond')),
                ('parent_languages', models.JSONField(blank=True, default=list, verbose_name='talen van de ouders')),
                ('notes', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(10000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='aantekeningen')),
                ('go_ahead_reason', models.TextField(blank=True, help_text='Als de jongere niet weet van het gesprek met de ouders of niet instemt.', validators=[django.core.validators.MaxLengthValidator(10000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='waarom het gesprek toch doorgaat')),
                ('go_ahead_recorded_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('next_step_key', models.SlugField(blank=True, editable=False, max_length=80)),
                ('honour_flagged', models.BooleanField(default=False, verbose_name='signalen van eergerelateerd geweld')),
                ('event_seq', models.PositiveIntegerField(default=0, editable=False)),
                ('last_signal_seq', models.PositiveIntegerField(default=0, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='aangemaakt op')),
                ('last_activity_at', models.DateTimeField(auto_now=True, verbose_name='laatste activiteit')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='afgerond op')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='versie')),
                ('guide_version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='guidance.guideversion', verbose_name='leidraad (versie)')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to=settings.AUTH_USER_MODEL, verbose_name='eigenaar')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='accounts.team', verbose_name='team')),
            ],
            options={
                'verbose_name': 'casus',
                'verbose_name_plural': 'casussen',
                'ordering': ['-last_activity_at'],
            },
        ),
        migrations.CreateModel(
            name='AccessLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('case_reference', models.CharField(db_index=True, max_length=20, verbose_name='kenmerk')),
                ('action', models.CharField(choices=[('create', 'aangemaakt'), ('view', 'bekeken'), ('update', 'gewijzigd'), ('screening', 'screening beantwoord'), ('step', 'stap bijgewerkt'), ('consult', 'consultatie vastgelegd'), ('share', 'gedeeld'), ('unshare', 'delen gestopt'), ('print', 'plan bekeken om te printen'), ('export', 'plan als PDF geëxporteerd'), ('close', 'afgerond'), ('reopen', 'heropend'), ('view_log', 'logboek bekeken'), ('refused', 'wijziging geweigerd'), ('open_refused', 'iemand zonder toegang probeerde de casus te openen')], max_length=20, verbose_name='actie')),
                ('detail', models.CharField(blank=True, max_length=120, verbose_name='onderdeel')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP-adres')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='tijdstip')),
                ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='access_log', to='cases.case')),
            ],
            options={
                'verbose_name': 'toegangslog',
                'verbose_name_plural': 'toegangslog',
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='CaseFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='maand')),
                ('dimension', models.CharField(choices=[('started', 'Gestarte casussen'), ('honour', 'Signalen van eergerelateerd geweld'), ('outcome', 'Uitkomst van de consultatie'), ('route', 'Gekozen verwijsroute'), ('material', 'Gekozen materiaal'), ('language', 'Taal van de folder')], max_length=20, verbose_name='wat')),
                ('value', models.CharField(blank=True, max_length=100, verbose_name='waarde')),
                ('count', models.PositiveIntegerField(default=0, verbose_name='aantal')),
                ('guide', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='guidance.guide', verbose_name='leidraad')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.region', verbose_name='regio')),
            ],
            options={
                'verbose_name': 'cijfer van verwijderde casussen',
                'verbose_name_plural': 'cijfers van verwijderde casussen',
                'ordering': ['month', 'region', 'guide', 'dimension', 'value'],
            },
        ),
        migrations.CreateModel(
            name='CaseShare',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.CharField(choices=[('read', 'Lezen'), ('edit', 'Lezen en bewerken')], max_length=10, verbose_name='rechten')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='versie')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shares', to='cases.case')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='case_shares', to=settings.AUTH_USER_MODEL, verbose_name='collega')),
            ],
        ),
        migrations.CreateModel(
            name='CaseTextVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text_kind', models.CharField(choices=[('notes', 'Aantekeningen bij de casus'), ('cultural_context', 'Culturele of religieuze achtergrond'), ('go_ahead_reason', 'Waarom het gesprek toch doorgaat'), ('step_notes', 'Aantekeningen bij een stap'), ('answer_note', 'Toelichting bij een screeningsvraag')], max_length=30, verbose_name='tekst')),
                ('part', models.SlugField(blank=True, max_length=80, verbose_name='onderdeel')),
                ('text', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(10000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='tekst')),
                ('saved_at', models.DateTimeField(null=True, verbose_name='opgeslagen op')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='text_history', to='cases.case')),
                ('saved_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='opgeslagen door')),
            ],
            options={
                'verbose_name': 'versie van een tekst',
                'verbose_name_plural': 'versies van teksten',
                'ordering': ['case', 'text_kind', 'part', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Consultation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('consulted_on', models.DateField(verbose_name='datum van het advies')),
                ('organisation', models.CharField(choices=[('veilig_thuis', 'Veilig Thuis'), ('politie', 'Politie'), ('lec_egg', 'LEC EGG (via Veilig Thuis)')], max_length=20, verbose_name='organisatie')),
                ('advisor', models.CharField(help_text='Functie of naam van de adviseur.', max_length=150, verbose_name='adviseur')),
                ('advice_summary', models.TextField(validators=[django.core.validators.MaxLengthValidator(5000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='samenvatting van het advies')),
                ('outcome', models.CharField(choices=[('contact_ouders_veilig', 'Contact met ouders is veilig'), ('geen_contact_ouders', 'Geen contact met ouders'), ('melding_gedaan', 'Melding gedaan')], max_length=30, verbose_name='uitkomst')),
                ('young_person_informed', models.BooleanField(default=False, verbose_name='de jongere weet wat er gaat gebeuren')),
                ('seq', models.PositiveIntegerField(editable=False)),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='vastgelegd op')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='consultations', to='cases.case')),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'consultatie',
                'verbose_name_plural': 'consultaties',
                'ordering': ['recorded_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ScreeningAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('question_key', models.SlugField(max_length=80, verbose_name='vraag')),
                ('answer', models.CharField(choices=[('ja', 'Ja'), ('nee', 'Nee'), ('twijfel', 'Twijfel')], max_length=10, verbose_name='antwoord')),
                ('note', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(2000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='toelichting')),
                ('answered_at', models.DateTimeField(auto_now=True, verbose_name='beantwoord op')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='versie')),
                ('answered_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='cases.case')),
            ],
            options={
                'verbose_name': 'screeningsantwoord',
                'verbose_name_plural': 'screeningsantwoorden',
            },
        ),
        migrations.CreateModel(
            name='ScreeningAnswerChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('question_key', models.SlugField(max_length=80)),
                ('old_answer', models.CharField(choices=[('ja', 'Ja'), ('nee', 'Nee'), ('twijfel', 'Twijfel')], max_length=10)),
                ('new_answer', models.CharField(choices=[('ja', 'Ja'), ('nee', 'Nee'), ('twijfel', 'Twijfel')], max_length=10)),
                ('reason', models.TextField(validators=[django.core.validators.MaxLengthValidator(2000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='reden')),
                ('changed_at', models.DateTimeField(auto_now_add=True)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answer_changes', to='cases.case')),
                ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['changed_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='StepProgress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('step_key', models.SlugField(max_length=80, verbose_name='stap')),
                ('status', models.CharField(choices=[('open', 'Open'), ('done', 'Klaar'), ('not_applicable', 'Niet van toepassing')], default='open', max_length=20, verbose_name='status')),
                ('notes', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(10000), django.core.validators.ProhibitNullCharactersValidator()], verbose_name='aantekeningen')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='versie')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='progress', to='cases.case')),
                ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'voortgang van een stap',
                'verbose_name_plural': 'voortgang van stappen',
            },
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['owner', '-last_activity_at'], name='cases_case_owner_i_9590f2_idx'),
        ),
        migrations.AddConstraint(
            model_name='casefigure',
            constraint=models.UniqueConstraint(fields=('month', 'region', 'guide', 'dimension', 'value'), name='cases_one_figure_per_key'),
        ),
        migrations.AddConstraint(
            model_name='caseshare',
            constraint=models.UniqueConstraint(fields=('case', 'user'), name='cases_one_share_per_user'),
        ),
        migrations.AddIndex(
            model_name='casetextversion',
            index=models.Index(fields=['case', 'text_kind', 'part'], name='cases_caset_case_id_7c0c7b_idx'),
        ),
        migrations.AddConstraint(
            model_name='consultation',
            constraint=models.CheckConstraint(condition=models.Q(('young_person_informed', True)), name='cases_consultation_young_person_informed'),
        ),
        migrations.AddConstraint(
            model_name='screeninganswer',
            constraint=models.UniqueConstraint(fields=('case', 'question_key'), name='cases_one_answer_per_question'),
        ),
        migrations.AddConstraint(
            model_name='stepprogress',
            constraint=models.UniqueConstraint(fields=('case', 'step_key'), name='cases_one_progress_per_step'),
        ),
        migrations.RunPython(replaced('0002_consultation_append_only_trigger').forwards, replaced('0002_consultation_append_only_trigger').backwards),
        migrations.RunPython(replaced('0007_logs_append_only_except_retention').forwards, replaced('0007_logs_append_only_except_retention').backwards),
    ]
