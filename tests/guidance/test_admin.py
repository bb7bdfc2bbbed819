from guidance.models import GuideVersion
from tests.factories import make_guide


def change_step_title(guide, title):
    step = guide.steps.get(key="vertrouwen")
    step.title_nl = title
    step.save()


class GuideAdminTests:
    def test_beheerder_opens_guides_steps_and_branch_questions(self, client, beheerder, db):
        guide = make_guide()
        client.force_login(beheerder)
        assert client.get("/beheer/guidance/guide/").status_code == 200
        page = client.get(f"/beheer/guidance/guide/{guide.pk}/change/").content.decode()
        # Steps are listed, each edited on its own page (no inline of every step).
        assert "steps-TOTAL_FORMS" not in page
        step = guide.steps.get(key="vertrouwen")
        assert f'href="/beheer/guidance/step/{step.pk}/change/"' in page
        assert "Concept bekijken" in page
        branch = client.get(f"/beheer/guidance/guide/{guide.honour_branch_id}/change/")
        assert "questions-TOTAL_FORMS" in branch.content.decode()

    def test_beheerder_publishes_with_the_action(self, client, beheerder, db):
        """The list's action leads to the comparison first; publishing takes a note."""
        guide = make_guide()
        change_step_title(guide, "Nieuw")
        client.force_login(beheerder)
        response = client.post(
            "/beheer/guidance/guide/",
            {"action": "publish", "_selected_action": [guide.pk]},
            follow=True,
        )
        page = response.content.decode()
        assert response.redirect_chain[-1][0] == f"/beheer/guidance/guide/{guide.pk}/publiceren/"
        assert "Nieuw" in page
        token = response.context["review"].token
        response = client.post(
            f"/beheer/guidance/guide/{guide.pk}/publiceren/",
            {"note": "Titel van een stap.", "reviewed": token},
            follow=True,
        )
        assert "versie 2 is gepubliceerd" in response.content.decode()
        version = guide.versions.get(number=2)
        assert version.published_by == beheerder
        assert version.note == "Titel van een stap."

    def test_published_versions_are_read_only_in_the_admin(self, client, beheerder, db):
        version = make_guide().versions.get()
        client.force_login(beheerder)
        assert client.get("/beheer/guidance/guideversion/").status_code == 200
        assert client.get("/beheer/guidance/guideversion/add/").status_code == 403
        response = client.post(
            f"/beheer/guidance/guideversion/{version.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 403
        assert GuideVersion.objects.filter(pk=version.pk).exists()

    def test_coordinator_cannot_edit_or_publish_guides(self, client, coordinator, db):
        guide = make_guide()
        change_step_title(guide, "Nieuw")
        client.force_login(coordinator)
        assert client.get("/beheer/guidance/guide/").status_code == 403
        assert client.get(f"/beheer/guidance/guide/{guide.pk}/change/").status_code == 403
        response = client.post(
            "/beheer/guidance/guide/", {"action": "publish", "_selected_action": [guide.pk]}
        )
        assert response.status_code == 403
        assert guide.versions.count() == 1

    def test_worker_has_no_back_office(self, client, worker, db):
        guide = make_guide()
        client.force_login(worker)
        response = client.get(f"/beheer/guidance/guide/{guide.pk}/change/")
        assert response.status_code == 302
        assert "/login/" in response.url

    def test_admin_list_query_budget(self, client, beheerder, db, django_assert_max_num_queries):
        for n in range(25):
            make_guide(slug=f"leidraad-{n}", with_branch=n == 0)
        client.force_login(beheerder)
        with django_assert_max_num_queries(10):
            assert client.get("/beheer/guidance/guide/").status_code == 200
