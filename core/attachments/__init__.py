"""Attachments: documents uploaded once, checked by their content, kept in versions in a private directory,
linked to records of any app and seen by whoever sees such a record (ADR 0015).

An app declares what it takes, usually in its AppConfig.ready::

    from core.attachments.registry import register_attachable, register_kind

    PERMIT = register_kind("permit", _("Permit"))
    register_attachable("<app_label>.<model>", kinds=[PERMIT], owner=lambda record: record.holder)

and the record's detail page shows the attachments panel; the API serves them under /api/attachments/.
"""
