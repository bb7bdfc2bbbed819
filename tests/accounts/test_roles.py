import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import override_settings

from accounts.backends import ModelBackend
from accounts.constants import ROLE_PERMISSIONS, Role
from accounts.models import User
from accounts.services import DEMO_USERS, demo_users_ensure, roles_sync, user_assign_role
from tests.factories import UserFactory


class RoleGroupTests:
    def test_migrations_create_the_three_groups_with_their_permissions(self, db):
        for role in Role:
            group = Group.objects.get(name=role.value)
            perms = {
                f"{app}.{code}"
                for app, code in group.permissions.values_list(
                    "content_type__app_label", "codename"
                )
            }
            expected = {
                p for p in ROLE_PERMISSIONS[role] if p.split(".")[0] in {"accounts", "auth"}
            }
            assert expected <= perms

    def test_roles_sync_is_idempotent(self, db):
        roles_sync()
        roles_sync()
        assert Group.objects.filter(name__in=[r.value for r in Role]).count() == 3

    def test_worker_has_no_back_office_access(self, worker):
        assert worker.role == Role.MEDEWERKER
        assert not worker.is_staff

    @pytest.mark.parametrize("role", [Role.COORDINATOR, Role.BEHEERDER])
    def test_back_office_roles_are_staff(self, db, role):
        assert UserFactory(role=role).is_staff

    def test_assigning_a_new_role_replaces_the_old_one(self, coordinator):
        user_assign_role(user=coordinator, role=Role.MEDEWERKER)
        coordinator.refresh_from_db()
        assert list(coordinator.groups.values_list("name", flat=True)) == ["Medewerker"]
        assert not coordinator.is_staff

    def test_beheerder_can_manage_users_but_not_make_superusers(self, client, beheerder, worker):
        client.force_login(beheerder)
        assert client.get("/beheer/accounts/user/").status_code == 200
        page = client.get(f"/beheer/accounts/user/{worker.pk}/change/")
        assert page.status_code == 200
        assert "is_superuser" not in page.content.decode()

    def test_beheerder_changes_a_role_through_the_admin(self, client, beheerder, worker):
        client.force_login(beheerder)
        response = client.post(
            f"/beheer/accounts/user/{worker.pk}/change/",
            {
                "email": worker.email,
                "display_name": "Nieuwe naam",
                "team": worker.team_id,
                "role": Role.COORDINATOR.value,
                "is_active": "on",
            },
        )
        assert response.status_code == 302
        worker = User.objects.get(pk=worker.pk)
        assert worker.role == Role.COORDINATOR
        assert worker.is_staff

    def test_worker_cannot_enter_the_back_office(self, client, worker):
        client.force_login(worker)
        response = client.get("/beheer/")
        assert response.status_code == 302
        assert "login" in response.url

    def test_a_new_role_holds_from_the_next_request(self, client, coordinator):
        # The request's user comes with its role, team and name (accounts/backends.py): the
        # next request sees them as they are now.
        client.force_login(coordinator)
        assert client.get("/coordinatie/").status_code == 200
        user_assign_role(user=coordinator, role=Role.MEDEWERKER)
        assert client.get("/coordinatie/").status_code == 403
        assert client.get("/casussen/").status_code == 200
        User.objects.filter(pk=coordinator.pk).update(display_name="Andere naam", team=None)
        user = ModelBackend().get_user(coordinator.pk)
        assert (user.role, user.display_name, user.team) == (Role.MEDEWERKER, "Andere naam", None)

    def test_role_pages_are_closed_to_other_roles(self, client, worker, coordinator):
        client.force_login(worker)
        assert client.get("/coordinatie/").status_code == 403
        client.force_login(coordinator)
        assert client.get("/casussen/").status_code == 403


class DemoUserTests:
    @override_settings(DEMO_USERS_ALLOWED=True)
    def test_demo_users_are_created_once_per_role_and_can_be_recreated(self, db):
        demo_users_ensure()
        demo_users_ensure()
        users = User.objects.filter(email__in=[email for email, _, _ in DEMO_USERS])
        assert sorted(u.role.value for u in users) == sorted(r.value for r in Role)
        assert all(u.check_password("demo-gesprekswijzer") for u in users)

    @override_settings(DEMO_USERS_ALLOWED=False)
    def test_demo_users_are_refused_outside_development(self, db):
        with pytest.raises(PermissionDenied):
            demo_users_ensure()
        assert not User.objects.exists()

    @override_settings(DEMO_USERS_ALLOWED=False)
    def test_demo_command_fails_outside_development(self, db):
        from django.core.management.base import CommandError

        with pytest.raises(CommandError):
            call_command("create_demo_users")

    @override_settings(DEMO_USERS_ALLOWED=True, MFA_DEMO_USERS_MAY_SKIP=True)
    def test_demo_command_says_that_demo_users_may_skip_the_second_factor(self, db):
        from io import StringIO

        out = StringIO()
        call_command("create_demo_users", stdout=out)
        assert "demo users may skip it in development only" in out.getvalue()
