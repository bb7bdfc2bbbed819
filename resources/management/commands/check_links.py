from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand
from django.utils import timezone

from resources.constants import Status
from resources.links import check_url
from resources.models import Organisation, Resource
from resources.services import link_check_record


class Command(BaseCommand):
    help = (
        "Request every address on the social map (resources' addresses, organisations' "
        "websites and chat addresses) with a short timeout and record which ones fail; "
        "failures put the entry on the coordinators' 'te controleren' list."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=5.0, help="Seconds per request.")
        parser.add_argument("--workers", type=int, default=8, help="Requests at the same time.")

    def handle(self, *args, timeout, workers, **options):
        resources = list(
            Resource.objects.exclude(status=Status.GEARCHIVEERD).exclude(url="").only("pk", "url")
        )
        organisations = list(
            Organisation.objects.exclude(status=Status.GEARCHIVEERD).only(
                "pk", "website", "chat_url"
            )
        )
        organisations = [o for o in organisations if o.addresses]
        urls = sorted({r.url for r in resources} | {u for o in organisations for u in o.addresses})
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            checked = pool.map(lambda url: check_url(url, timeout=timeout), urls)
            results = dict(zip(urls, checked, strict=True))

        now = timezone.now()
        failed = 0
        for resource in resources:
            result = results[resource.url]
            link_check_record(entry=resource, ok=result.ok, error=result.error, when=now)
            failed += not result.ok
        for organisation in organisations:
            problems = [f"{url}: {results[url].error}" for url in organisation.addresses
                        if not results[url].ok]  # fmt: skip
            link_check_record(
                entry=organisation, ok=not problems, error="; ".join(problems), when=now
            )
            failed += bool(problems)
        self.stdout.write(
            f"{len(urls)} addresses checked for {len(resources)} resources and "
            f"{len(organisations)} organisations; {failed} entries with a failing link."
        )
