"""Forms of the attachments panel: they only shape the input; the services decide and check the files."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.access.uploads import refused_uploads
from core.attachments import files
from core.attachments.registry import kind_label
from core.surfaces.forms import refuse_control_characters, style_widget


class AttachmentForm(forms.Form):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            style_widget(field.widget)
            if isinstance(field, forms.FileField):
                field.help_text = _("PDF, JPEG, PNG, OFD, Word (.docx) or Excel (.xlsx), at most %(mb)s MB; the "
                                    "type is read from the file's content.") % {
                                        "mb": files.megabytes(files.max_bytes())}
                if name in refused_uploads(request):
                    # Dropped while it arrived (core.access.uploads): say why it is missing.
                    field.error_messages["required"] = files.too_large_message()

    def full_clean(self):
        for field in self.fields.values():
            refuse_control_characters(field)
        super().full_clean()

    def apply_service_error(self, error) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class UploadForm(AttachmentForm):
    # An empty file is allowed through here: the service says so, for the API too.
    file = forms.FileField(label=gettext_lazy("File"), allow_empty_file=True)
    kind = forms.ChoiceField(label=gettext_lazy("kind"))
    title = forms.CharField(label=pgettext_lazy("document", "title"), max_length=200, required=False,
                            help_text=gettext_lazy("Left empty, the file's name."))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(code, kind_label(code)) for code in kinds]


class VersionForm(AttachmentForm):
    file = forms.FileField(label=gettext_lazy("File"), allow_empty_file=True)


class AttachExistingForm(AttachmentForm):
    document = forms.ModelChoiceField(label=gettext_lazy("document"), queryset=None)

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents
        self.fields["document"].label_from_instance = lambda d: f"{d.kind_label} · {d.title}"
