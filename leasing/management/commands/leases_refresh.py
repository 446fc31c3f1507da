import datetime

from django.core.management.base import BaseCommand

from leasing.services import lease_expire_due


class Command(BaseCommand):
    help = "Expire leases past their end date and bring unit statuses up to date (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None,
                            help="Run as of this date (YYYY-MM-DD); default today.")

    def handle(self, *args, date=None, **options):
        expired = lease_expire_due(today=date)
        self.stdout.write(f"expired {expired} lease(s)")
