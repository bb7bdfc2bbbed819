"""The 7 migrations of `accounts` up to 0007_security_event_map_imported in one: a new database is made
from the models as they are now instead of replaying every step (replaying all apps'
steps took 16 of migrate's 22 seconds). A database that has applied some of the replaced
migrations goes on with them; one that has applied all of them counts this as applied.

The SQL the models cannot express and the rows a new database needs come from the
replaced migrations themselves (their functions, run in the same order), so there is one
copy of each. When the replaced migrations are deleted, move those functions here.
"""

from importlib import import_module

import accounts.models
import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def replaced(name: str):
    """The module of the replaced migration `accounts.<name>`."""
    return import_module(f"accounts.migrations.{name}")


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('accounts', '0001_initial'),
        ('accounts', '0002_roles'),
        ('accounts', '0003_security_event'),
        ('accounts', '0004_security_event_append_only'),
        ('accounts', '0005_user_session'),
        ('accounts', '0006_retention_permit'),
        ('accounts', '0007_security_event_map_imported'),
    ]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='Region',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True, verbose_name='naam')),
                ('kind', models.CharField(choices=[('gemeente', 'Gemeente'), ('regio', 'Regio')], default='gemeente', max_length=20, verbose_name='soort')),
            ],
            options={
                'verbose_name': 'regio',
                'verbose_name_plural': "regio's",
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Team',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='naam')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='teams', to='accounts.region', verbose_name='regio')),
            ],
            options={
                'verbose_name': 'team',
                'verbose_name_plural': 'teams',
                'ordering': ['region__name', 'name'],
            },
        ),
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('email', models.EmailField(max_length=254, unique=True, verbose_name='e-mailadres')),
                ('display_name', models.CharField(blank=True, help_text="Zoals collega's u kennen.", max_length=150, verbose_name='naam')),
                ('is_active', models.BooleanField(default=True, help_text='Zet uit in plaats van het account te verwijderen.', verbose_name='actief')),
                ('is_staff', models.BooleanField(default=False, help_text='Wordt gezet door de rol: Coördinator en Beheerder werken in het beheer.', verbose_name='toegang tot beheer')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='aangemaakt op')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='members', to='accounts.team', verbose_name='team')),
            ],
            options={
                'verbose_name': 'gebruiker',
                'verbose_name_plural': 'gebruikers',
                'ordering': ['email'],
            },
            managers=[
                ('objects', accounts.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name='UserSession',
            fields=[
                ('session_key', models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='session key')),
                ('session_data', models.TextField(verbose_name='session data')),
                ('expire_date', models.DateTimeField(db_index=True, verbose_name='expire date')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='ingelogd op')),
                ('last_seen_at', models.DateTimeField(blank=True, null=True, verbose_name='laatst actief')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP-adres')),
                ('user_agent', models.CharField(blank=True, max_length=200, verbose_name='browser')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to=settings.AUTH_USER_MODEL, verbose_name='gebruiker')),
            ],
            options={
                'verbose_name': 'sessie',
                'verbose_name_plural': 'sessies',
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='SecurityEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('login_succeeded', 'Ingelogd'), ('login_failed', 'Inloggen mislukt'), ('locked_out', 'Geblokkeerd na te veel pogingen'), ('logged_out', 'Uitgelogd'), ('mfa_enrolled', 'Tweede factor ingesteld'), ('mfa_removed', 'Tweede factor verwijderd'), ('mfa_failed', 'Tweede factor onjuist'), ('recovery_code_used', 'Herstelcode gebruikt'), ('sso_login', 'Ingelogd via SSO'), ('sso_refused', 'SSO geweigerd'), ('password_changed', 'Wachtwoord gewijzigd'), ('password_reset_requested', 'Herstellink aangevraagd'), ('password_reset_done', 'Wachtwoord hersteld'), ('user_invited', 'Gebruiker uitgenodigd'), ('email_changed', 'E-mailadres gewijzigd'), ('role_changed', 'Rol gewijzigd'), ('team_changed', 'Team gewijzigd'), ('region_changed', 'Regio gewijzigd'), ('user_deactivated', 'Gebruiker gedeactiveerd'), ('user_reactivated', 'Gebruiker weer actief'), ('sessions_ended', 'Sessies beëindigd'), ('case_access_refused', 'Toegang tot casus geweigerd'), ('statistics_viewed', 'Cijfers bekeken'), ('map_imported', 'Sociale kaart geïmporteerd (CSV)')], max_length=40, verbose_name='gebeurtenis')),
                ('occurred_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='tijdstip')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP-adres')),
                ('detail', models.CharField(blank=True, max_length=200, verbose_name='toelichting')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='door')),
                ('subject', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='betreft')),
            ],
            options={
                'verbose_name': 'beveiligingsgebeurtenis',
                'verbose_name_plural': 'beveiligingslog',
                'ordering': ['-occurred_at', '-pk'],
                'indexes': [models.Index(fields=['kind', '-occurred_at'], name='security_kind_time')],
            },
        ),
        migrations.AddConstraint(
            model_name='team',
            constraint=models.UniqueConstraint(fields=('region', 'name'), name='team_unique_name_in_region'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), name='user_email_unique_ci'),
        ),
        migrations.AddIndex(
            model_name='usersession',
            index=models.Index(fields=['user', '-last_seen_at'], name='session_user_seen'),
        ),
        migrations.RunPython(replaced('0002_roles').create_roles, replaced('0002_roles').remove_roles),
        migrations.RunPython(replaced('0004_security_event_append_only').forwards, replaced('0004_security_event_append_only').backwards),
        migrations.RunPython(replaced('0006_retention_permit').forwards, replaced('0006_retention_permit').backwards),
    ]
