"""The attachments panel on the detail page of every record that takes documents (core.surfaces.extensions)."""

from core.attachments import files, selectors, services
from core.attachments.forms import AttachExistingForm, UploadForm
from core.attachments.registry import attachable_for, when_attachable
from core.surfaces.extensions import add_detail_panel


def attachments_panel(request, record, context):
    attachable = attachable_for(type(record))
    user = request.user
    may_attach = services.may_attach(user, record)
    reusable = selectors.reusable_documents(user=user, record=record) if may_attach else None
    return {
        "label": attachable.label,
        "attachments": selectors.attachment_list(user=user, record=record),
        "may_attach": may_attach,
        "upload_form": UploadForm(kinds=attachable.kinds, auto_id="id_attachment_%s") if may_attach else None,
        "attach_form": AttachExistingForm(documents=reusable, auto_id="id_attach_%s")
        if reusable is not None and reusable.exists() else None,
        "max_mb": files.megabytes(files.max_bytes()),
    }


when_attachable(lambda label: add_detail_panel(label, "core/attachments/panel.html", attachments_panel))
