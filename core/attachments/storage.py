"""Where documents' files live: a directory of their own (YUANQU_ATTACHMENT_ROOT, var/attachments by default),
outside the static files and the media directory, which no URL serves. A file leaves only through the download
view, after the reader's scope is checked and the download recorded (ADR 0015)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class AttachmentStorage(FileSystemStorage):
    def __init__(self):
        # Readable by the platform's own account only (and its group, for a backup agent).
        super().__init__(file_permissions_mode=0o640, directory_permissions_mode=0o750)

    # Read from the settings at each use (Django keeps the first value it reads), so that a deployment's setting
    # and a test's temporary directory both hold.
    @property
    def base_location(self):
        return str(settings.YUANQU_ATTACHMENT_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Documents have no URL: they are served by core.attachments' download view.")


storage = AttachmentStorage()
