"""Remove old import files (uploads, error workbooks, kept checks); the import history keeps the batches.

    python manage.py import_prune [--days N]     # default: YUANQU_IMPORT_KEEP_DAYS (180)
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.importing import jobs


class Command(BaseCommand):
    help = "Remove the files of import batches uploaded more than --days days ago (run it from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.YUANQU_IMPORT_KEEP_DAYS,
                            help="keep the files of the last N days (default YUANQU_IMPORT_KEEP_DAYS)")

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("--days must be at least 1")
        result = jobs.batches_prune(days=days)
        self.stdout.write(f"已清理 {result['batches']} 个导入批次的文件，释放 {result['bytes'] / 1048576:.1f} MB"
                          f"（保留最近 {days} 天）")
