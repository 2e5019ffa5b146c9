import hashlib

from django.db import migrations


def _mask(value):
    if value in (None, "") or str(value).startswith("•••• "):
        return value
    return "•••• " + hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:6]


def mask_proposal_tokens(apps, schema_editor):
    """Change records written before proposals' link keys were masked: mask the key in them too."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ChangeRecord = apps.get_model("core", "ChangeRecord")
    content_type = ContentType.objects.filter(app_label="portal", model="proposal").first()
    if content_type is None:
        return
    for record in ChangeRecord.objects.filter(content_type=content_type).iterator():
        tokens = set()
        for side in ("before", "after"):
            data = getattr(record, side)
            if isinstance(data, dict) and data.get("token"):
                tokens.add(str(data["token"]))
                data["token"] = _mask(data["token"])
        text = record.object_repr
        for token in tokens:
            if not token.startswith("•••• "):
                text = text.replace(token, _mask(token))
        ChangeRecord.objects.filter(pk=record.pk).update(
            before=record.before, after=record.after, object_repr=text[:200]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_inquiry_decisions"),
        ("core", "0002_notification"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(mask_proposal_tokens, migrations.RunPython.noop)]
