from django.db import migrations


def install_default_templates(apps, schema_editor):
    from tickets.outbound.defaults import DEFAULT_TEMPLATES

    MessageTemplate = apps.get_model("tickets", "MessageTemplate")
    for template in DEFAULT_TEMPLATES:
        # Never overwrite a manager's edits: create the missing ones only.
        MessageTemplate.objects.get_or_create(
            seller_account=None, slug=template["slug"],
            defaults={k: v for k, v in template.items() if k != "slug"},
        )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_outbound_path")]

    operations = [migrations.RunPython(install_default_templates, migrations.RunPython.noop)]
